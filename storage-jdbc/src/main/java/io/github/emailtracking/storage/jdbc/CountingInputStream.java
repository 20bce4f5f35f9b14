package io.github.emailtracking.storage.jdbc;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read through it, and remembers whether a read failed: a consumer that fails with
 * an {@link IOException} may have failed reading this stream or writing elsewhere. Not thread-safe.
 */
final class CountingInputStream extends FilterInputStream {

    private long count;
    private boolean failed;

    CountingInputStream(InputStream in) {
        super(in);
    }

    /** Returns how many bytes were read so far. */
    long count() {
        return count;
    }

    /** Returns whether a read or skip threw. */
    boolean failed() {
        return failed;
    }

    @Override
    public int read() throws IOException {
        try {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            int read = super.read(buffer, offset, length);
            if (read > 0) {
                count += read;
            }
            return read;
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
