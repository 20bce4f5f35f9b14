package io.github.emailtracking.core;

import io.github.emailtracking.api.StoreException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
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

    private final LongSupplier nanoTime;
    private final Warnings warnings;
    private final BiConsumer<Duration, Runnable> later;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong unconfirmed = new AtomicLong();
    private long sinceLastWarning;
    private String latestKind;
    private RuntimeException latestCause;
    private boolean warned;
    private long nextWarningAt;
    private boolean warningDue;

    /**
     * Counts with the system's own clock, not the tracker's, which a host may have stopped: the
     * warnings are about real minutes.
     */
    DroppedEvents() {
        this(System::nanoTime, LOGGED, DroppedEvents::runLater);
    }

    /**
     * @param nanoTime the clock, such as {@code System::nanoTime}
     * @param warnings where warnings go
     * @param later runs a task after a delay, on a thread of its own
     */
    DroppedEvents(LongSupplier nanoTime, Warnings warnings, BiConsumer<Duration, Runnable> later) {
        this.nanoTime = nanoTime;
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
            long now = nanoTime.getAsLong();
            if (sinceLastWarning == 0 || warningDue) {
                return;
            }
            if (warned && now - nextWarningAt < 0) {
                warningDue = true;
                later.accept(Duration.ofNanos(nextWarningAt - now), this::dueWarning);
                return;
            }
            warned = true;
            nextWarningAt = now + QUIET_PERIOD.toNanos();
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
