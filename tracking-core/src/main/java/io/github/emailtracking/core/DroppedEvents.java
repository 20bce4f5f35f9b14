package io.github.emailtracking.core;

import io.github.emailtracking.api.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts events that were answered but not stored because the store failed, and among them those
 * that the store could not confirm and may have stored; logs a warning once per burst rather than
 * once per request, so that an outage does not flood the log.
 */
final class DroppedEvents {

    private static final Logger LOG = LoggerFactory.getLogger(EmailTracker.class);
    private static final Duration QUIET_PERIOD = Duration.ofMinutes(1);

    private final Clock clock;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong unconfirmed = new AtomicLong();
    private final AtomicLong sinceLastWarning = new AtomicLong();
    private volatile Instant nextWarning = Instant.MIN;

    DroppedEvents(Clock clock) {
        this.clock = clock;
    }

    /** Counts one dropped event and warns when the last warning is a quiet period old. */
    void add(String kind, RuntimeException cause) {
        total.incrementAndGet();
        if (cause instanceof StoreException store && store.changeMayBeStored()) {
            unconfirmed.incrementAndGet();
        }
        long unreported = sinceLastWarning.incrementAndGet();
        Instant now = clock.instant();
        if (now.isBefore(nextWarning)) {
            return;
        }
        synchronized (this) {
            if (now.isBefore(nextWarning)) {
                return;
            }
            nextWarning = now.plus(QUIET_PERIOD);
            unreported = sinceLastWarning.getAndSet(0);
        }
        // The cause, at debug level only, may quote a statement with its parameters, such as a
        // tracking id or a client's address.
        LOG.warn(
                "Dropped {} event(s) since the last warning, the latest of kind {}, because the"
                        + " store failed: {} (causes are logged at debug level)",
                unreported,
                kind,
                cause.getMessage());
        LOG.debug("The latest dropped event's failure", cause);
    }

    /** Returns how many events were dropped since the tracker started. */
    long total() {
        return total.get();
    }

    /** Returns how many of the dropped events the store may have stored all the same. */
    long unconfirmed() {
        return unconfirmed.get();
    }
}
