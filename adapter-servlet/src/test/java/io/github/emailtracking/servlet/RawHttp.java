package io.github.emailtracking.servlet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * Sends bytes over a plain socket, for requests the JDK client refuses to make: malformed URIs,
 * lying {@code Content-Length} headers, bodies cut short.
 */
final class RawHttp {

    private RawHttp() {}

    /** What came back: the status code and the whole answer as text. */
    record Answer(int status, String text) {

        boolean hasHeader(String name, String value) {
            return text.lines()
                    .takeWhile(line -> !line.isEmpty())
                    .anyMatch(line -> line.equalsIgnoreCase(name + ": " + value));
        }

        String body() {
            int start = text.indexOf("\r\n\r\n");
            return start < 0 ? "" : text.substring(start + 4);
        }
    }

    /**
     * Sends {@code head} and then {@code body}, ends the request stream (so a server waiting for
     * more of a body sees its end), and reads the answer until the server closes.
     */
    static Answer send(int port, String head, byte[] body) throws IOException {
        return exchange(port, head, body, true);
    }

    /**
     * Sends {@code head} and the start of a body, then sends nothing more, as a client that stalls
     * does, and reads the answer until the server closes.
     */
    static Answer sendAndStall(int port, String head, byte[] bodyStart) throws IOException {
        return exchange(port, head, bodyStart, false);
    }

    /** Sends a GET of {@code target} (which may be malformed) with {@code Connection: close}. */
    static Answer get(int port, String target) throws IOException {
        String head = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        return send(port, head, new byte[0]);
    }

    private static Answer exchange(int port, String head, byte[] body, boolean endRequest)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.UTF_8));
            writeQuietly(out, body);
            if (endRequest) {
                shutdownQuietly(socket);
            }
            return read(socket.getInputStream());
        }
    }

    private static void writeQuietly(OutputStream out, byte[] body) throws IOException {
        try {
            out.write(body);
            out.flush();
        } catch (SocketException e) {
            // The server may answer and close before reading all of a body it refuses.
        }
    }

    private static void shutdownQuietly(Socket socket) {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            // Already closed by the server, which is what some refusals do.
        }
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try {
            in.transferTo(answer);
        } catch (SocketException e) {
            // A reset after the answer arrived still leaves the answer readable.
        }
        String text = answer.toString(StandardCharsets.UTF_8);
        if (!text.startsWith("HTTP/1.1 ")) {
            throw new IOException("no HTTP answer came back, only: " + text);
        }
        return new Answer(Integer.parseInt(text.substring(9, 12)), text);
    }
}
