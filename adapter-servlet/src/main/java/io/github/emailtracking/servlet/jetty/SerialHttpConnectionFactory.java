package io.github.emailtracking.servlet.jetty;

import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * Jetty's HTTP/1.1 connection factory, with connections that read on one thread at a time: a guard
 * for a host that serves the tracking servlet from Jetty 12.1, as the standalone server does.
 *
 * <p>Jetty 12.1 (seen on 12.1.14) can run a connection's read loop on two threads at once after it
 * refused a malformed request, such as one whose path holds an invalid escape, while more of that
 * request arrives: the thread that answered the refusal starts a new loop before the thread that
 * parsed the request has left its own. Both loops then give the connection's request buffer back to
 * the shared pool, which hands it out twice, so that bytes of one client's request, such as its
 * {@code Authorization} header, can be written into the answer to another. Each connection made
 * here lets one loop run at a time. The lock is not contended otherwise: in alternating runs of the
 * open route's benchmark with and without it, the difference stayed within their noise of a few
 * percent.
 *
 * <p>It makes its connections as Jetty 12.1's own factory does, and extends a class of Jetty's
 * internal package, so it may need changes with a new version of Jetty.
 */
public class SerialHttpConnectionFactory extends HttpConnectionFactory {

    /** Makes connections configured by {@code configuration}. */
    public SerialHttpConnectionFactory(HttpConfiguration configuration) {
        super(configuration);
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        SerialHttpConnection connection =
                newSerialConnection(getHttpConfiguration(), connector, endPoint);
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }

    /** Makes one connection; tests make one that watches its read loops. */
    SerialHttpConnection newSerialConnection(
            HttpConfiguration configuration, Connector connector, EndPoint endPoint) {
        return new SerialHttpConnection(configuration, connector, endPoint);
    }

    /** A connection whose read loop waits for one already running on another thread to end. */
    static class SerialHttpConnection extends HttpConnection {

        private final ReentrantLock reading = new ReentrantLock();

        SerialHttpConnection(HttpConfiguration configuration, Connector connector, EndPoint end) {
            super(configuration, connector, end);
        }

        @Override
        public final void onFillable() {
            reading.lock();
            try {
                readAndHandle();
            } finally {
                reading.unlock();
            }
        }

        /** Runs Jetty's read loop: reads, parses and handles what arrived. */
        void readAndHandle() {
            super.onFillable();
        }
    }
}
