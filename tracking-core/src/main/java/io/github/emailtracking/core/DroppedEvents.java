package io.github.emailtracking.core;

import io.github.emailtracking.api.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts events that were answered but not stored because the store failed, and among them those
 * that the store could not confirm and may have stored; warns once a minute at most rather than
 * once per request, so that an outage does not flood the log. Events dropped after a warning are
 * warned of a minute after it, whether or not more come.
 */
final class DroppedEvents {

    private static final Logger LOG = LoggerFactory.getLogger(EmailTracker.class);
    private static final Duration QUIET_PERIOD = Duration.ofMinutes(1);

    /** Where a warning goes: the log, or a test's list. */
    interface Warnings {

        /** Warns of {@code count} events dropped since the last warning, the latest failing so. */
        void dropped(long count, String latestKind, RuntimeException latestCause);
    }

    private static final Warnings LOGGED =
            (count, kind, cause) -> {
                // The cause, at debug level only, may quote a statement with its parameters, such
                // as a tracking id or a client's address.
                LOG.warn(
                        "Dropped {} event(s) since the last warning, the latest of kind {}, because"
                                + " the store failed: {} (causes are logged at debug level)",
                        count,
                        kind,
                        cause.getMessage());
                LOG.debug("The latest dropped event's failure", cause);
            };

    private final Clock clock;
    private final Warnings warnings;
    private final BiConsumer<Duration, Runnable> later;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong unconfirmed = new AtomicLong();
    private long sinceLastWarning;
    private String latestKind;
    private RuntimeException latestCause;
    private Instant nextWarning = Instant.MIN;
    private boolean warningDue;

    DroppedEvents(Clock clock) {
        this(clock, LOGGED, DroppedEvents::runLater);
    }

    /**
     * @param warnings where warnings go
     * @param later runs a task after a delay, on a thread of its own
     */
    DroppedEvents(Clock clock, Warnings warnings, BiConsumer<Duration, Runnable> later) {
        this.clock = clock;
        this.warnings = warnings;
        this.later = later;
    }

    /** Counts one dropped event, and warns of it now or once the last warning is a minute old. */
    void add(String kind, RuntimeException cause) {
        total.incrementAndGet();
        if (cause instanceof StoreException store && store.changeMayBeStored()) {
            unconfirmed.incrementAndGet();
        }
        synchronized (this) {
            sinceLastWarning++;
            latestKind = kind;
            latestCause = cause;
        }
        warnOrWait();
    }

    /** Returns how many events were dropped since the tracker started. */
    long total() {
        return total.get();
    }

    /** Returns how many of the dropped events the store may have stored all the same. */
    long unconfirmed() {
        return unconfirmed.get();
    }

    private void warnOrWait() {
        long count;
        String kind;
        RuntimeException cause;
        synchronized (this) {
            Instant now = clock.instant();
            if (sinceLastWarning == 0 || warningDue) {
                return;
            }
            if (now.isBefore(nextWarning)) {
                warningDue = true;
                later.accept(Duration.between(now, nextWarning), this::dueWarning);
                return;
            }
            nextWarning = now.plus(QUIET_PERIOD);
            count = sinceLastWarning;
            kind = latestKind;
            cause = latestCause;
            sinceLastWarning = 0;
        }
        warnings.dropped(count, kind, cause);
    }

    private void dueWarning() {
        synchronized (this) {
            warningDue = false;
        }
        warnOrWait();
    }

    private static void runLater(Duration delay, Runnable task) {
        CompletableFuture.delayedExecutor(delay.toMillis() + 1, TimeUnit.MILLISECONDS)
                .execute(task);
    }
}
