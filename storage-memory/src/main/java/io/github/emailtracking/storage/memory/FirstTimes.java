package io.github.emailtracking.storage.memory;

import java.time.Duration;
import java.time.Instant;

/**
 * How many emails of a campaign have had some first event (a first open, say), and the sum of their
 * delays after sending, kept as first times arrive or move earlier. The sum stops at the largest
 * long rather than wrap around, as millions of emails sent decades before they were opened could
 * reach it; as it then no longer knows how far past it went, a delay taken from it stops at zero.
 */
final class FirstTimes {

    private long count;
    private long delayMillis;

    /**
     * Accounts for an email's first time moving from {@code before} (null: none) to {@code after}.
     */
    void move(Instant sentAt, Instant before, Instant after) {
        if (before == null) {
            count++;
        } else {
            delayMillis = Math.max(0, saturated(delayMillis, -delay(sentAt, before)));
        }
        delayMillis = saturated(delayMillis, delay(sentAt, after));
    }

    /** Adds these emails' first times to {@code sum}. */
    void addTo(FirstTimes sum) {
        sum.count += count;
        sum.delayMillis = saturated(sum.delayMillis, delayMillis);
    }

    long count() {
        return count;
    }

    /** Returns the mean delay, or null when no email has had the event. */
    Duration mean() {
        return count == 0 ? null : Duration.ofMillis(delayMillis / count);
    }

    private static long delay(Instant sentAt, Instant at) {
        return Math.max(0, saturated(at.toEpochMilli(), -sentAt.toEpochMilli()));
    }

    /** Returns {@code a + b}, or the largest or smallest long where the sum would pass it. */
    private static long saturated(long a, long b) {
        long sum = a + b;
        boolean overflowed = ((a ^ sum) & (b ^ sum)) < 0;
        return overflowed ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }
}
