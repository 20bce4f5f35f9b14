package io.github.emailtracking.api;

import java.time.Instant;
import java.util.Objects;

/**
 * The recipient answered the email. A reply also counts the email as opened by a person, in the
 * person figures only: the raw open figures count pixel fetches alone.
 *
 * @param trackingId the email that was answered
 * @param at when the reply was reported
 * @param message the reply's text as the mail flow sent it, or null when it sent none
 * @param attachmentCount how many files the reply carried, as the mail flow reported
 * @param messageId the reply's own {@code Message-ID}, or null; a reply whose Message-ID was stored
 *     for the same email before is a retry and is not stored again
 */
public record ReplyEvent(
        TrackingId trackingId, Instant at, String message, int attachmentCount, String messageId)
        implements TrackingEvent {

    /** Creates the event; {@code attachmentCount} may not be negative. */
    public ReplyEvent {
        Objects.requireNonNull(trackingId, "trackingId");
        Objects.requireNonNull(at, "at");
        if (attachmentCount < 0) {
            throw new IllegalArgumentException("attachmentCount is negative: " + attachmentCount);
        }
    }

    /** Creates a reply without a Message-ID of its own. */
    public ReplyEvent(TrackingId trackingId, Instant at, String message, int attachmentCount) {
        this(trackingId, at, message, attachmentCount, null);
    }
}
