package io.github.emailtracking.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a mailer tells the tracker about an email it is about to send.
 *
 * @param recipientEmail the address the email goes to
 * @param sentAt when it is sent, or null for now; kept to the millisecond, which must be from
 *     {@link #EARLIEST_SENT_AT} to {@link #LATEST_SENT_AT}
 * @param links original http(s) links to get signed click URLs for; may be empty
 * @param html the HTML body to instrument (pixel added, links rewritten), or null
 * @param messageId the {@code Message-ID} the mailer will send the email with, written as RFC 5322
 *     writes a new one ({@code <part@domain>}, each side atoms of letters, digits and {@code
 *     !#$%&'*+-/=?^_`{|}~} joined by single dots, or the domain a literal in brackets), angle
 *     brackets optional; or null to have the tracker make one
 */
public record NewEmail(
        String recipientEmail, Instant sentAt, List<String> links, String html, String messageId) {

    /** The earliest send time accepted: the Unix epoch, before any email was sent. */
    public static final Instant EARLIEST_SENT_AT = Instant.EPOCH;

    /**
     * The latest send time accepted: the last millisecond of the year 9999, the last that every
     * store and ISO-8601 reader handles without a sign or a fifth digit of year.
     */
    public static final Instant LATEST_SENT_AT = Instant.parse("9999-12-31T23:59:59.999Z");

    /**
     * Creates the description; {@code recipientEmail} and {@code links} are required, and {@code
     * links} is copied.
     */
    public NewEmail {
        Objects.requireNonNull(recipientEmail, "recipientEmail");
        Objects.requireNonNull(links, "links");
        if (links.stream().anyMatch(Objects::isNull)) {
            throw new NullPointerException("links must not hold null");
        }
        links = List.copyOf(links);
    }

    /** Returns an email to {@code recipientEmail} sent now, with {@code links}. */
    public static NewEmail to(String recipientEmail, List<String> links) {
        return new NewEmail(recipientEmail, null, links, null, null);
    }

    /** Returns an email to {@code recipientEmail} sent now, whose HTML body is to be tracked. */
    public static NewEmail withHtml(String recipientEmail, String html) {
        return new NewEmail(recipientEmail, null, List.of(), html, null);
    }
}
