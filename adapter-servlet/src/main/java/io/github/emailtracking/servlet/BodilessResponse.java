package io.github.emailtracking.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The response to a {@code HEAD} request: status and headers pass through, the body is dropped, so
 * that a route can answer {@code HEAD} by running its {@code GET}. A content length set by the
 * route stays, as {@code HEAD} should tell it; otherwise {@link #finish} sets the length of the
 * body the route wrote and this dropped.
 */
final class BodilessResponse extends HttpServletResponseWrapper {

    private final DiscardingStream discarded = new DiscardingStream();
    private PrintWriter writer;
    private boolean lengthSet;

    BodilessResponse(HttpServletResponse response) {
        super(response);
    }

    /** Sets the length of the dropped body, unless the route set a length or the answer is sent. */
    void finish() {
        if (writer != null) {
            writer.flush();
        }
        if (!lengthSet && !isCommitted()) {
            super.setContentLengthLong(discarded.count);
        }
    }

    @Override
    public void setContentLength(int length) {
        lengthSet = true;
        super.setContentLength(length);
    }

    @Override
    public void setContentLengthLong(long length) {
        lengthSet = true;
        super.setContentLengthLong(length);
    }

    @Override
    public ServletOutputStream getOutputStream() {
        return discarded;
    }

    @Override
    public PrintWriter getWriter() {
        if (writer == null) {
            writer = new PrintWriter(new OutputStreamWriter(discarded, charset()));
        }
        return writer;
    }

    private Charset charset() {
        try {
            return Charset.forName(getCharacterEncoding());
        } catch (IllegalArgumentException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }

    /** Drops what is written, counting it: a HEAD answer has no body. */
    private static final class DiscardingStream extends ServletOutputStream {

        private long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            count += length;
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
