package io.github.emailtracking.api;

import java.time.Instant;
import java.util.Objects;

/**
 * The open pixel of an email was fetched.
 *
 * @param trackingId the email that was opened
 * @param at when the pixel was fetched
 * @param ipAddress the address the fetch came from, as kept by the privacy setting, or null
 * @param userAgent the fetching client's {@code User-Agent}, or null when it sent none
 * @param classification who fetched it: a person, a person's proxy, or a machine
 */
public record OpenEvent(
        TrackingId trackingId,
        Instant at,
        String ipAddress,
        String userAgent,
        Classification classification)
        implements TrackingEvent {

    /** Creates the event; {@code trackingId}, {@code at} and the classification are required. */
    public OpenEvent {
        Objects.requireNonNull(trackingId, "trackingId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(classification, "classification");
    }

    /** Creates an open made by a person. */
    public OpenEvent(TrackingId trackingId, Instant at, String ipAddress, String userAgent) {
        this(trackingId, at, ipAddress, userAgent, Classification.HUMAN);
    }
}
