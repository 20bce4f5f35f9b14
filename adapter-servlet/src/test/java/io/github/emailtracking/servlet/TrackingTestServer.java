package io.github.emailtracking.servlet;

import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real Jetty server on a free loopback port with one servlet mounted at {@value #MOUNT}, as a
 * host application would mount the tracking servlet.
 */
public final class TrackingTestServer implements AutoCloseable {

    /** Where the servlet is mounted, as in the examples. */
    public static final String MOUNT = "/api/track";

    private final Server server;
    private final int port;

    private TrackingTestServer(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts a server that serves {@code servlet} under {@value #MOUNT}. */
    public static TrackingTestServer start(HttpServlet servlet) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(servlet), MOUNT + "/*");
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
