package io.github.emailtracking.examples;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Fetches open pixels over one kept-alive HTTP/1.1 connection. A plain socket, so that nothing
 * retries a request behind the caller's back: each call sends exactly one request, which is what a
 * count of requests sent must rely on. Not thread-safe: one per client thread.
 */
final class PixelClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    PixelClient(int port) throws IOException {
        this.socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Sends one {@code GET} of the path and reads the whole answer.
     *
     * @return the answer's status code
     * @throws IOException if the connection failed before a whole answer came back
     */
    int get(String path) throws IOException {
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();

        String statusLine = line();
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = 0;
        for (String header = line(); !header.isEmpty(); header = line()) {
            if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(header.substring("content-length:".length()).strip());
            }
        }
        in.skipNBytes(length);
        return status;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection closed in the middle of an answer");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
