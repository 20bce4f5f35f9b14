package io.github.emailtracking.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One email sent to one recipient, as registered before sending.
 *
 * @param trackingId the id in the email's pixel and links
 * @param campaignId the campaign it belongs to
 * @param recipientEmail the address it was sent to
 * @param sentAt when it was sent; the times to first open and click are measured from here
 */
public record TrackedEmail(
        TrackingId trackingId, CampaignId campaignId, String recipientEmail, Instant sentAt) {

    /** Longest recipient address accepted, in characters (RFC 5321's path limit). */
    public static final int MAX_RECIPIENT_LENGTH = 254;

    /** Creates a tracked email; every component is required. */
    public TrackedEmail {
        Objects.requireNonNull(trackingId, "trackingId");
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(recipientEmail, "recipientEmail");
        Objects.requireNonNull(sentAt, "sentAt");
    }
}
