package io.github.emailtracking.api;

import java.time.Instant;

/**
 * The running totals of one email. Counts include every recorded event, whoever made it; times that
 * have not happened yet are null.
 *
 * @param openCount how many times the pixel was fetched
 * @param clickCount how many times a tracked link was followed
 * @param firstOpenAt the first pixel fetch, whoever made it, or null; a click or a reply implies no
 *     open here (only the person figures of {@link CampaignTotals#person()} count one), so an email
 *     that was clicked or answered but never fetched its pixel has none
 * @param lastOpenAt the latest pixel fetch, or null
 * @param firstClickAt the first click, or null
 * @param repliedAt the first reply, or null
 * @param reminderSentAt the first reminder, or null
 * @param bouncedAt the first bounce, hard or soft, or null
 * @param unsubscribedAt when the recipient unsubscribed, or null
 */
public record EmailCounters(
        long openCount,
        long clickCount,
        Instant firstOpenAt,
        Instant lastOpenAt,
        Instant firstClickAt,
        Instant repliedAt,
        Instant reminderSentAt,
        Instant bouncedAt,
        Instant unsubscribedAt) {

    /** The counters of an email nothing has happened to yet. */
    public static final EmailCounters NONE =
            new EmailCounters(0, 0, null, null, null, null, null, null, null);

    /** Returns whether the recipient replied. */
    public boolean replied() {
        return repliedAt != null;
    }

    /** Returns whether a reminder was sent. */
    public boolean reminderSent() {
        return reminderSentAt != null;
    }
}
