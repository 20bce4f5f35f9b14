package io.github.emailtracking.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A tracked link of an email was followed.
 *
 * @param trackingId the email whose link was followed
 * @param at when the redirect was served
 * @param url the original link the recipient was sent on to
 * @param ipAddress the address the click came from, or null when unknown
 * @param userAgent the clicking client's {@code User-Agent}, or null when it sent none
 */
public record ClickEvent(
        TrackingId trackingId, Instant at, String url, String ipAddress, String userAgent)
        implements TrackingEvent {

    /** Creates the event; {@code trackingId}, {@code at} and {@code url} are required. */
    public ClickEvent {
        Objects.requireNonNull(trackingId, "trackingId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(url, "url");
    }
}
