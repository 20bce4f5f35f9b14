package io.github.emailtracking.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A reminder about the email was sent to its recipient.
 *
 * @param trackingId the email that was followed up
 * @param at when the mail flow reported the reminder
 */
public record ReminderEvent(TrackingId trackingId, Instant at) implements TrackingEvent {

    /** Creates the event; both components are required. */
    public ReminderEvent {
        Objects.requireNonNull(trackingId, "trackingId");
        Objects.requireNonNull(at, "at");
    }
}
