package io.github.emailtracking.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a mailer tells the tracker about an email it is about to send.
 *
 * @param recipientEmail the address the email goes to
 * @param sentAt when it is sent, or null for now
 * @param links the original http(s) links in it, each to get a signed click URL; may be empty
 */
public record NewEmail(String recipientEmail, Instant sentAt, List<String> links) {

    /** Creates the description; {@code recipientEmail} is required, {@code links} is copied. */
    public NewEmail {
        Objects.requireNonNull(recipientEmail, "recipientEmail");
        links = List.copyOf(links);
    }

    /** Returns an email to {@code recipientEmail} sent now, with {@code links}. */
    public static NewEmail to(String recipientEmail, List<String> links) {
        return new NewEmail(recipientEmail, null, links);
    }
}
