package io.github.emailtracking.api;

import java.time.Instant;
import java.util.Objects;

/**
 * The open pixel of an email was fetched.
 *
 * @param trackingId the email that was opened
 * @param at when the pixel was fetched
 * @param ipAddress the address the fetch came from, or null when unknown
 * @param userAgent the fetching client's {@code User-Agent}, or null when it sent none
 */
public record OpenEvent(TrackingId trackingId, Instant at, String ipAddress, String userAgent)
        implements TrackingEvent {

    /** Creates the event; {@code trackingId} and {@code at} are required. */
    public OpenEvent {
        Objects.requireNonNull(trackingId, "trackingId");
        Objects.requireNonNull(at, "at");
    }
}
