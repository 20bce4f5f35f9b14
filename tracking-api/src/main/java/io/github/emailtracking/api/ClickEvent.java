package io.github.emailtracking.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A tracked link of an email was followed.
 *
 * @param trackingId the email whose link was followed
 * @param at when the redirect was served
 * @param url the original link the recipient was sent on to
 * @param ipAddress the address the click came from, as kept by the privacy setting, or null
 * @param userAgent the clicking client's {@code User-Agent}, or null when it sent none
 * @param classification who clicked: a person, a person's proxy, or a machine
 */
public record ClickEvent(
        TrackingId trackingId,
        Instant at,
        String url,
        String ipAddress,
        String userAgent,
        Classification classification)
        implements TrackingEvent {

    /** Creates the event; all but the address and the user agent are required. */
    public ClickEvent {
        Objects.requireNonNull(trackingId, "trackingId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(classification, "classification");
    }

    /** Creates a click made by a person. */
    public ClickEvent(
            TrackingId trackingId, Instant at, String url, String ipAddress, String userAgent) {
        this(trackingId, at, url, ipAddress, userAgent, Classification.HUMAN);
    }
}
