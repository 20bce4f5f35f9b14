package io.github.emailtracking.servlet;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Lets a repeated warning through once a period, with how often it happened since the last one, so
 * that an outage that fails every request writes one line a minute, not one per request.
 *
 * <p>Thread-safe.
 */
final class WarningThrottle {

    private final long periodNanos;
    private final LongSupplier nanoTime;
    private boolean warned;
    private long nextWarningAt;
    private long unreported;

    /**
     * @param period how long after a warning the next one waits
     * @param nanoTime the clock, such as {@code System::nanoTime}
     */
    WarningThrottle(Duration period, LongSupplier nanoTime) {
        this.periodNanos = period.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * Counts one occurrence.
     *
     * @return how many occurrences the warning due now reports, this one included; 0 when it is
     *     held back until the period is over
     */
    synchronized long occurred() {
        unreported++;
        long now = nanoTime.getAsLong();
        if (warned && now - nextWarningAt < 0) {
            return 0;
        }
        warned = true;
        nextWarningAt = now + periodNanos;
        long reported = unreported;
        unreported = 0;
        return reported;
    }

    /**
     * Returns how many occurrences no warning has reported yet, and counts them as reported: for a
     * last word when the warnings stop, such as at shutdown.
     */
    synchronized long unreported() {
        long count = unreported;
        unreported = 0;
        return count;
    }
}
