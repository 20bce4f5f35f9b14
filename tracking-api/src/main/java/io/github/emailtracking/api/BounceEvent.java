package io.github.emailtracking.api;

import java.time.Instant;
import java.util.Objects;

/**
 * The email could not be delivered.
 *
 * @param trackingId the email that bounced
 * @param at when the bounce was reported
 * @param type whether the failure is final
 * @param reason the receiving server's explanation, or null when none was given
 */
public record BounceEvent(TrackingId trackingId, Instant at, BounceType type, String reason)
        implements TrackingEvent {

    /** Creates the event; {@code reason} is the only optional component. */
    public BounceEvent {
        Objects.requireNonNull(trackingId, "trackingId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(type, "type");
    }
}
