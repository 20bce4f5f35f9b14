package io.github.emailtracking.api;

import java.time.Instant;
import java.util.Objects;

/**
 * The recipient answered the email.
 *
 * @param trackingId the email that was answered
 * @param at when the reply was reported
 * @param message the reply's text as the mail flow sent it, or null when it sent none
 * @param attachmentCount how many files the reply carried, as the mail flow reported
 */
public record ReplyEvent(TrackingId trackingId, Instant at, String message, int attachmentCount)
        implements TrackingEvent {

    /** Creates the event; {@code attachmentCount} may not be negative. */
    public ReplyEvent {
        Objects.requireNonNull(trackingId, "trackingId");
        Objects.requireNonNull(at, "at");
        if (attachmentCount < 0) {
            throw new IllegalArgumentException("attachmentCount is negative: " + attachmentCount);
        }
    }
}
