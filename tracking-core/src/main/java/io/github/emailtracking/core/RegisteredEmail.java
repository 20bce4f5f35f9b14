package io.github.emailtracking.core;

import io.github.emailtracking.api.TrackingId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a mailer puts into an email after registering it.
 *
 * @param trackingId the email's tracking id
 * @param messageId the {@code Message-ID} header to send the email with
 * @param openUrl the URL of the email's open pixel, for an {@code <img>} in its HTML
 * @param clickUrls for each original link, the signed click URL to use instead, in the order the
 *     links were given, then as found in the HTML
 * @param html the instrumented HTML body, or null when none was given
 * @param unsubscribeUrl the one-click unsubscribe URL of this email
 */
public record RegisteredEmail(
        TrackingId trackingId,
        String messageId,
        String openUrl,
        Map<String, String> clickUrls,
        String html,
        String unsubscribeUrl) {

    /** The value of the {@code List-Unsubscribe-Post} header (RFC 8058). */
    public static final String LIST_UNSUBSCRIBE_POST = "List-Unsubscribe=One-Click";

    /** Creates the result; the map keeps its iteration order. */
    public RegisteredEmail {
        Objects.requireNonNull(trackingId, "trackingId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(openUrl, "openUrl");
        Objects.requireNonNull(unsubscribeUrl, "unsubscribeUrl");
        clickUrls = Collections.unmodifiableMap(new LinkedHashMap<>(clickUrls));
    }

    /** Returns the value of the {@code List-Unsubscribe} header (RFC 2369) for this email. */
    public String listUnsubscribe() {
        return "<" + unsubscribeUrl + ">";
    }

    /** Returns the value of the {@code List-Unsubscribe-Post} header (RFC 8058). */
    public String listUnsubscribePost() {
        return LIST_UNSUBSCRIBE_POST;
    }
}
