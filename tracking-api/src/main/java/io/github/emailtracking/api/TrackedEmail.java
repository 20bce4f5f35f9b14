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
 * @param messageId the email's {@code Message-ID} header value, angle brackets included, by which
 *     replies are matched; unique over all emails
 */
public record TrackedEmail(
        TrackingId trackingId,
        CampaignId campaignId,
        String recipientEmail,
        Instant sentAt,
        String messageId) {

    /** Longest recipient address accepted, in characters (RFC 5321's path limit). */
    public static final int MAX_RECIPIENT_LENGTH = 254;

    /** Longest Message-ID accepted, in characters. */
    public static final int MAX_MESSAGE_ID_LENGTH = 250;

    /** Creates a tracked email; every component is required. */
    public TrackedEmail {
        Objects.requireNonNull(trackingId, "trackingId");
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(recipientEmail, "recipientEmail");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(messageId, "messageId");
    }
}
