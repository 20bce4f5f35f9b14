package io.github.emailtracking.benchmarks;

import io.github.emailtracking.servlet.jetty.SerialHttpConnectionFactory;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One Jetty server on a free loopback port that mounts every target under its name, such as {@code
 * /sqlite/*}, configured as the standalone server configures its own: so every target shares one
 * container, its thread pool and its warmed-up code.
 */
final class PixelServer implements AutoCloseable {

    private final Server jetty;
    private final int port;

    private PixelServer(Server jetty, int port) {
        this.jetty = jetty;
        this.port = port;
    }

    /** Starts the server with each target mounted. */
    static PixelServer start(List<OpenTarget> targets) throws Exception {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        Server jetty = new Server();
        ServerConnector connector =
                new ServerConnector(jetty, new SerialHttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        for (OpenTarget target : targets) {
            ServletHolder holder = new ServletHolder(target.name(), target.servlet());
            holder.setAsyncSupported(true);
            context.addServlet(holder, "/" + target.name() + "/*");
        }
        jetty.setHandler(context);
        jetty.start();
        return new PixelServer(jetty, connector.getLocalPort());
    }

    /** Returns the URL of the server's root, without a trailing slash. */
    String rootUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Returns the path of a target's open route up to the tracking id. */
    static String openPath(OpenTarget target) {
        return "/" + target.name() + "/open/";
    }

    /** Returns the largest number of threads Jetty serves requests with. */
    int maxThreads() {
        return jetty.getThreadPool()
                        instanceof org.eclipse.jetty.util.thread.ThreadPool.SizedThreadPool pool
                ? pool.getMaxThreads()
                : -1;
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }
}
