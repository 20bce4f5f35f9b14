package io.github.emailtracking.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A body whose read failed is not read again: a container's body that stopped arriving would hold
 * the thread for its whole timeout on each later read.
 */
class FailedReadsStayTest {

    @Test
    void read_afterAReadTimedOut_failsAtOnceWithoutReadingTheBody() throws IOException {
        StallingBody stalled = new StallingBody();
        AtomicInteger failures = new AtomicInteger();
        FailedReadsStay body = new FailedReadsStay(stalled, failures::incrementAndGet);
        assertThat(body.read(new byte[4], 0, 4)).isEqualTo(4);
        assertThatThrownBy(() -> body.read(new byte[4], 0, 4))
                .hasRootCauseInstanceOf(TimeoutException.class);

        assertThatThrownBy(body::read)
                .isInstanceOf(IOException.class)
                .hasRootCauseInstanceOf(TimeoutException.class);
        assertThatThrownBy(body::readAllBytes).hasRootCauseInstanceOf(TimeoutException.class);
        assertThatThrownBy(() -> body.skip(10)).hasRootCauseInstanceOf(TimeoutException.class);
        assertThat(stalled.reads).isEqualTo(2);
        assertThat(failures).hasValue(1);
    }

    @Test
    void read_whileNoReadFailed_readsTheBody() throws IOException {
        AtomicInteger failures = new AtomicInteger();
        FailedReadsStay body = new FailedReadsStay(new StallingBody(), failures::incrementAndGet);

        assertThat(body.read()).isEqualTo('a');
        assertThat(body.read(new byte[3], 0, 3)).isEqualTo(3);
        assertThat(failures).hasValue(0);
    }

    /** A body that gives four bytes, then fails every read as a container's timed-out read does. */
    private static final class StallingBody extends ServletInputStream {

        private int given;
        private int reads;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            reads++;
            if (given >= 4) {
                throw new IOException(new TimeoutException("idle timeout"));
            }
            int n = Math.min(length, 4 - given);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = (byte) ('a' + given++);
            }
            return n;
        }

        @Override
        public boolean isFinished() {
            return false;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException();
        }
    }
}
