package io.github.emailtracking.servlet;

import io.github.emailtracking.servlet.jetty.SerialHttpConnectionFactory;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real Jetty server on a free loopback port with one servlet mounted at {@value #MOUNT}, as a
 * host application would mount the tracking servlet: with asynchronous requests allowed, unless
 * started with {@link #startWithoutAsync}, and with the connections the standalone server makes.
 */
public final class TrackingTestServer implements AutoCloseable {

    /** Where the servlet is mounted, as in the examples. */
    public static final String MOUNT = "/api/track";

    // Jetty's own default.
    private static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final Server server;
    private final int port;

    private TrackingTestServer(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts a server that serves {@code servlet} under {@value #MOUNT}. */
    public static TrackingTestServer start(HttpServlet servlet) throws Exception {
        return start(servlet, new HttpConfiguration(), true);
    }

    /**
     * Starts a server like {@link #start} whose servlet is mounted without asynchronous support, as
     * a host whose deployment descriptor leaves it out would.
     */
    public static TrackingTestServer startWithoutAsync(HttpServlet servlet) throws Exception {
        return start(servlet, new HttpConfiguration(), false);
    }

    /**
     * Starts a server like {@link #start} that stands behind a reverse proxy: it takes the client
     * address from {@code X-Forwarded-For} or {@code Forwarded}, as the standalone server does when
     * told to trust its proxy. Tests use it to send requests from any address.
     */
    public static TrackingTestServer startBehindProxy(HttpServlet servlet) throws Exception {
        HttpConfiguration behindProxy = new HttpConfiguration();
        behindProxy.addCustomizer(new ForwardedRequestCustomizer());
        return start(servlet, behindProxy, true);
    }

    /**
     * Starts a server like {@link #start} that gives up on a connection once nothing arrived on it
     * for {@code idleTimeout}, as a container does with a client that stops sending a body.
     */
    public static TrackingTestServer startWithIdleTimeout(HttpServlet servlet, Duration idleTimeout)
            throws Exception {
        return start(servlet, new HttpConfiguration(), true, idleTimeout);
    }

    private static TrackingTestServer start(
            HttpServlet servlet, HttpConfiguration http, boolean asyncSupported) throws Exception {
        return start(servlet, http, asyncSupported, DEFAULT_IDLE_TIMEOUT);
    }

    private static TrackingTestServer start(
            HttpServlet servlet,
            HttpConfiguration http,
            boolean asyncSupported,
            Duration idleTimeout)
            throws Exception {
        Server server = new Server();
        ServerConnector connector =
                new ServerConnector(server, new SerialHttpConnectionFactory(http));
        connector.setIdleTimeout(idleTimeout.toMillis());
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(asyncSupported);
        context.addServlet(holder, MOUNT + "/*");
        server.setHandler(context);
        server.start();
        return new TrackingTestServer(server, connector.getLocalPort());
    }

    /** Returns the port the server listens on. */
    public int port() {
        return port;
    }

    /** Returns the base URL of the tracking routes, without a trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port + MOUNT;
    }

    /** Returns the URI of a route, such as {@code uri("/open/abc")}. */
    public URI uri(String route) {
        return URI.create(baseUrl() + route);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
