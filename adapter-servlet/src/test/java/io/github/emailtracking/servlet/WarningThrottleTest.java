package io.github.emailtracking.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WarningThrottleTest {

    private final AtomicLong now = new AtomicLong(-5_000);
    private final WarningThrottle throttle = new WarningThrottle(Duration.ofNanos(1_000), now::get);

    @Test
    void firstOccurrence_isWarnedAtOnce() {
        assertThat(throttle.occurred()).isEqualTo(1);
    }

    @Test
    void occurrencesWithinThePeriod_areHeldBack_andCountedInTheNextWarning() {
        throttle.occurred();
        now.addAndGet(999);
        long held = throttle.occurred() + throttle.occurred();
        now.addAndGet(1);

        long next = throttle.occurred();

        assertThat(held).isZero();
        assertThat(next).isEqualTo(3);
    }

    @Test
    void periodStartsAgainAtEachWarning() {
        throttle.occurred();
        now.addAndGet(1_500);
        throttle.occurred();
        now.addAndGet(600);

        assertThat(throttle.occurred()).isZero();
    }

    @Test
    void unreported_answersTheHeldBackOccurrencesOnce() {
        throttle.occurred();
        throttle.occurred();
        throttle.occurred();

        long held = throttle.unreported();

        assertThat(held).isEqualTo(2);
        assertThat(throttle.unreported()).isZero();
    }
}
