package io.github.emailtracking.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * The response to a {@code HEAD} request: status and headers pass through, the body is dropped, so
 * that a route can answer {@code HEAD} by running its {@code GET}. A content length set by the
 * route stays, as {@code HEAD} should tell it.
 */
final class BodilessResponse extends HttpServletResponseWrapper {

    private final ServletOutputStream discarded = new DiscardingStream();
    private final PrintWriter writer = new PrintWriter(Writer.nullWriter());

    BodilessResponse(HttpServletResponse response) {
        super(response);
    }

    @Override
    public ServletOutputStream getOutputStream() {
        return discarded;
    }

    @Override
    public PrintWriter getWriter() {
        return writer;
    }

    private static final class DiscardingStream extends ServletOutputStream {

        @Override
        public void write(int b) {
            // A HEAD answer has no body.
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            // A HEAD answer has no body.
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new UnsupportedOperationException("a HEAD answer is written blocking");
        }
    }
}
