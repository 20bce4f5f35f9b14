package io.github.emailtracking.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FirstTimesTest {

    private static final Instant LONG_AGO = Instant.ofEpochMilli(-4_700_000_000_000_000_000L);
    private static final Instant EARLY = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATE = Instant.parse("9999-12-31T23:59:59.999Z");

    @Test
    void move_delaysSummingPastTheLargestLong_stopThere() {
        FirstTimes opened = new FirstTimes();

        opened.move(LONG_AGO, null, LATE);
        opened.move(LONG_AGO, null, LATE);

        assertThat(opened.count()).isEqualTo(2);
        assertThat(opened.mean()).isEqualTo(Duration.ofMillis(Long.MAX_VALUE / 2));
    }

    @Test
    void move_earlierAgainAndAgainAfterTheSumStopped_neverGoesBelowZero() {
        FirstTimes opened = new FirstTimes();
        opened.move(LONG_AGO, null, LATE);
        opened.move(LONG_AGO, null, LATE);

        for (int i = 0; i < 30_000; i++) {
            opened.move(LONG_AGO, LATE, EARLY);
        }

        assertThat(opened.mean().isNegative()).isFalse();
    }
}
