package io.github.emailtracking.api;

import java.time.Instant;
import java.util.Objects;

/**
 * The recipient asked to receive no more mail from the sender.
 *
 * @param trackingId the email from which the recipient unsubscribed
 * @param at when the request arrived
 */
public record UnsubscribeEvent(TrackingId trackingId, Instant at) implements TrackingEvent {

    /** Creates the event; both components are required. */
    public UnsubscribeEvent {
        Objects.requireNonNull(trackingId, "trackingId");
        Objects.requireNonNull(at, "at");
    }
}
