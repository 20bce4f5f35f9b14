package io.github.emailtracking.servlet;

import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * A real Tomcat on a free loopback port with one servlet mounted at {@value #MOUNT} in the context
 * {@value #CONTEXT}, asynchronous requests allowed, as a host on Tomcat would mount the tracking
 * servlet: a second container, which reads request bodies and reports its own errors otherwise than
 * Jetty.
 */
final class TomcatTestServer implements AutoCloseable {

    static final String CONTEXT = "/app";
    static final String MOUNT = "/track";

    private final Tomcat tomcat;
    private final Path baseDirectory;
    private final int port;

    private TomcatTestServer(Tomcat tomcat, Path baseDirectory, int port) {
        this.tomcat = tomcat;
        this.baseDirectory = baseDirectory;
        this.port = port;
    }

    /**
     * Starts a server that serves {@code servlet} and gives up on a request whose body stops
     * arriving for {@code connectionTimeout}.
     */
    static TomcatTestServer start(HttpServlet servlet, Duration connectionTimeout)
            throws IOException, LifecycleException {
        return start(servlet, connectionTimeout, false);
    }

    /**
     * Starts a server like {@link #start} with a filter in front of the servlet that asks for a
     * request parameter, as a CSRF filter does, and so takes the body of a form post away.
     */
    static TomcatTestServer startReadingParametersFirst(HttpServlet servlet)
            throws IOException, LifecycleException {
        return start(servlet, Duration.ofSeconds(20), true);
    }

    private static TomcatTestServer start(
            HttpServlet servlet, Duration connectionTimeout, boolean readParametersFirst)
            throws IOException, LifecycleException {
        Path baseDirectory = Files.createTempDirectory("tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDirectory.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("connectionTimeout", String.valueOf(connectionTimeout.toMillis()));
        tomcat.setConnector(connector);

        Context context = tomcat.addContext(CONTEXT, baseDirectory.toString());
        Wrapper wrapper = Tomcat.addServlet(context, "tracking", servlet);
        wrapper.setAsyncSupported(true);
        context.addServletMappingDecoded(MOUNT + "/*", "tracking");
        if (readParametersFirst) {
            addParameterReadingFilter(context);
        }
        tomcat.start();
        return new TomcatTestServer(tomcat, baseDirectory, connector.getLocalPort());
    }

    private static void addParameterReadingFilter(Context context) {
        FilterDef definition = new FilterDef();
        definition.setFilterName("parameters");
        definition.setFilter(
                (request, response, chain) -> {
                    request.getParameter("_csrf");
                    chain.doFilter(request, response);
                });
        context.addFilterDef(definition);
        FilterMap mapping = new FilterMap();
        mapping.setFilterName("parameters");
        mapping.addURLPattern("/*");
        context.addFilterMap(mapping);
    }

    int port() {
        return port;
    }

    /** Returns the path of a route on this server, such as {@code /app/track/open/abc}. */
    static String path(String route) {
        return CONTEXT + MOUNT + route;
    }

    @Override
    public void close() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
        try (Stream<Path> files = Files.walk(baseDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(TomcatTestServer::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
