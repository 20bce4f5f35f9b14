package io.github.emailtracking.core;

import io.github.emailtracking.api.TrackingId;
import java.util.Map;
import java.util.Objects;

/**
 * What a mailer puts into an email after registering it.
 *
 * @param trackingId the email's tracking id
 * @param openUrl the URL of the email's open pixel, for an {@code <img>} in its HTML
 * @param clickUrls for each original link, the signed click URL to use instead, in the order the
 *     links were given
 */
public record RegisteredEmail(
        TrackingId trackingId, String openUrl, Map<String, String> clickUrls) {

    /** Creates the result; the map keeps its iteration order. */
    public RegisteredEmail {
        Objects.requireNonNull(trackingId, "trackingId");
        Objects.requireNonNull(openUrl, "openUrl");
        clickUrls = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(clickUrls));
    }
}
