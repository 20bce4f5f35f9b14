package io.github.emailtracking.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;

/**
 * A request body that, once a read of it failed, fails every later read at once. A container may
 * let a read that timed out be tried again (Jetty does), and each later read of a body that stopped
 * arriving, such as a multipart reader closing its part or the rest being read to keep the
 * connection, would hold the thread for the whole timeout again before the client is answered. Not
 * thread-safe, as a request's body is read by one thread at a time.
 */
final class FailedReadsStay extends ServletInputStream {

    private final ServletInputStream body;
    private final Runnable afterFailure;
    private IOException failure;

    /** Wraps {@code body}; {@code afterFailure} runs once a read failed, before it throws. */
    FailedReadsStay(ServletInputStream body, Runnable afterFailure) {
        this.body = body;
        this.afterFailure = afterFailure;
    }

    @Override
    public int read() throws IOException {
        requireNoFailure();
        try {
            return body.read();
        } catch (IOException e) {
            failed(e);
            throw e;
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        requireNoFailure();
        try {
            return body.read(buffer, offset, length);
        } catch (IOException e) {
            failed(e);
            throw e;
        }
    }

    @Override
    public int available() throws IOException {
        requireNoFailure();
        return body.available();
    }

    @Override
    public boolean isFinished() {
        return body.isFinished();
    }

    @Override
    public boolean isReady() {
        return body.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
        body.setReadListener(listener);
    }

    @Override
    public void close() throws IOException {
        body.close();
    }

    private void failed(IOException e) {
        failure = e;
        afterFailure.run();
    }

    private void requireNoFailure() throws IOException {
        if (failure != null) {
            throw new IOException("an earlier read of the body failed", failure);
        }
    }
}
