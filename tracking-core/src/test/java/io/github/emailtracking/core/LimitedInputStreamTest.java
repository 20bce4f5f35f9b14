package io.github.emailtracking.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.emailtracking.core.LimitedInputStream.LimitExceededException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LimitedInputStreamTest {

    @Test
    void read_exactlyTheLimit_readsToTheEnd() throws IOException {
        InputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[100]), 100);

        assertThat(in.readAllBytes()).hasSize(100);
    }

    @Test
    void read_oneByteOverTheLimit_fails() {
        InputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[101]), 100);

        assertThatThrownBy(in::readAllBytes).isInstanceOf(LimitExceededException.class);
    }

    @Test
    @Timeout(10) // A limit that overflowed asked for no bytes, for ever.
    void read_underTheHighestLimit_readsToTheEnd() throws IOException {
        InputStream in =
                new LimitedInputStream(new ByteArrayInputStream(new byte[10]), Long.MAX_VALUE);

        assertThat(in.readAllBytes()).hasSize(10);
    }

    @Test
    void read_singleBytesOverTheLimit_fails() throws IOException {
        InputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[3]), 2);

        in.read();
        in.read();

        assertThatThrownBy(in::read).isInstanceOf(LimitExceededException.class);
    }
}
