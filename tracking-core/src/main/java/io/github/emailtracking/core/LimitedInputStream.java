package io.github.emailtracking.core;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes a stream through until more than a limit of bytes has come, then fails every read with
 * {@link LimitExceededException}. A stream of exactly the limit is read to its end.
 */
final class LimitedInputStream extends FilterInputStream {

    /** Thrown by a read once the stream has delivered more than its limit. */
    static final class LimitExceededException extends IOException {

        private static final long serialVersionUID = 1L;

        LimitExceededException(long limit) {
            super("more than " + limit + " bytes");
        }
    }

    private final long limit;
    private long count;

    LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, (int) Math.min(length, allowance()));
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(Math.min(n, allowance()));
        count(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Returns how many bytes a read may ask for: one past the limit tells that it was passed. */
    private long allowance() {
        long room = limit - count;
        return room == Long.MAX_VALUE ? room : room + 1;
    }

    private void count(long n) throws LimitExceededException {
        count += n;
        if (count > limit) {
            throw new LimitExceededException(limit);
        }
    }
}
