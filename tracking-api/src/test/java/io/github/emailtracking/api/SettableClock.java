package io.github.emailtracking.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock in UTC that stands still until a test moves it; safe to read from the threads of a server
 * under test.
 */
public final class SettableClock extends Clock {

    private volatile Instant now;

    /** Creates the clock at {@code start}. */
    public SettableClock(Instant start) {
        this.now = start;
    }

    /** Sets the time. */
    public void set(Instant instant) {
        now = instant;
    }

    /** Moves the time on by {@code duration}. */
    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a test clock stays in UTC");
    }
}
