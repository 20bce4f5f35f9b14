package io.github.emailtracking.servlet.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.junit.jupiter.api.Test;

/**
 * Malformed requests followed by more of themselves, sent to a real Jetty over a real socket:
 * Jetty's own connections then run their read loop on two threads at once, which lets a pooled
 * buffer go to two connections; the guarded ones never do.
 */
class SerialHttpConnectionFactoryTest {

    private static final int REQUESTS = 1_000;

    /**
     * A path with an invalid escape, which Jetty refuses as it parses the request line, then a long
     * header and a body that arrive while it answers.
     */
    private static final String MALFORMED_HEAD =
            "POST /campaigns/%zz% HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Authorization: Bearer "
                    + "x".repeat(9_000)
                    + "\r\nContent-Length: 30000000000\r\n\r\n{\"campaignName\":\"n\"}";

    /** Counts the times a connection's read loop began while another ran. */
    private final AtomicInteger overlaps = new AtomicInteger();

    @Test
    void jettysOwnConnections_runTwoReadLoopsAtOnce_afterAMalformedRequest() throws Exception {
        HttpConnectionFactory watched =
                new HttpConnectionFactory(new HttpConfiguration()) {
                    @Override
                    public Connection newConnection(Connector connector, EndPoint endPoint) {
                        return configure(
                                new WatchedJettyConnection(
                                        getHttpConfiguration(), connector, endPoint),
                                connector,
                                endPoint);
                    }
                };

        sendMalformedRequests(watched);

        assertThat(overlaps)
                .as("if Jetty no longer overlaps its read loops, the guard may go")
                .hasPositiveValue();
    }

    @Test
    void serialConnections_neverRunTwoReadLoopsAtOnce() throws Exception {
        SerialHttpConnectionFactory watched =
                new SerialHttpConnectionFactory(new HttpConfiguration()) {
                    @Override
                    SerialHttpConnection newSerialConnection(
                            HttpConfiguration configuration, Connector connector, EndPoint end) {
                        return new WatchedSerialConnection(configuration, connector, end);
                    }
                };

        sendMalformedRequests(watched);

        assertThat(overlaps).hasValue(0);
    }

    private void sendMalformedRequests(HttpConnectionFactory factory) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server, factory);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.start();
        try {
            for (int i = 0; i < REQUESTS; i++) {
                send(connector.getLocalPort());
            }
        } finally {
            server.stop();
        }
    }

    /**
     * Sends the malformed request and reads until the server closes. Jetty answers 400, but not
     * always: the answer may be lost when it closes with the rest of the request unread.
     */
    private static void send(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(MALFORMED_HEAD.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.shutdownOutput();
            socket.getInputStream().readAllBytes();
        } catch (SocketException e) {
            // Reset by a server that closed with the request unread: what counts is the loops.
        }
    }

    /** Runs {@code loop}, counting it in {@link #overlaps} when another loop is running. */
    private void watch(AtomicInteger running, Runnable loop) {
        if (running.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
        try {
            loop.run();
        } finally {
            running.decrementAndGet();
        }
    }

    private final class WatchedJettyConnection extends HttpConnection {

        private final AtomicInteger running = new AtomicInteger();

        WatchedJettyConnection(HttpConfiguration configuration, Connector connector, EndPoint end) {
            super(configuration, connector, end);
        }

        @Override
        public void onFillable() {
            watch(running, super::onFillable);
        }
    }

    private final class WatchedSerialConnection
            extends SerialHttpConnectionFactory.SerialHttpConnection {

        private final AtomicInteger running = new AtomicInteger();

        WatchedSerialConnection(
                HttpConfiguration configuration, Connector connector, EndPoint end) {
            super(configuration, connector, end);
        }

        @Override
        void readAndHandle() {
            watch(running, super::readAndHandle);
        }
    }
}
