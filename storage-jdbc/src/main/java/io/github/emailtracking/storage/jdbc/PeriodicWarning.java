package io.github.emailtracking.storage.jdbc;

import java.time.Duration;
import org.slf4j.Logger;

/**
 * A warning of something that may happen many times in a row, such as a failure of every batch
 * while the database is down: logged the first time, then at most once a period, with how many
 * times it happened since the last line. Not thread-safe; each user is one thread.
 */
final class PeriodicWarning {

    private final Logger log;
    private final Duration period;
    private final String message;
    private long unreported;
    private long warnedAt;
    private boolean warned;

    /**
     * @param message the warning, whose one {@code {}} is replaced by the count
     */
    PeriodicWarning(Logger log, Duration period, String message) {
        this.log = log;
        this.period = period;
        this.message = message;
    }

    /** Counts {@code times} more and warns when the last warning is a period old. */
    void add(long times) {
        unreported += times;
        long now = System.nanoTime();
        if (warned && now - warnedAt < period.toNanos()) {
            return;
        }
        log.warn(message, unreported);
        unreported = 0;
        warnedAt = now;
        warned = true;
    }
}
