package io.github.emailtracking.api;

import java.time.Duration;

/**
 * The part of a campaign's figures that people made: events judged {@link Verdict#HUMAN} or {@link
 * Verdict#PROXY}, plus the opens that a person's click or reply implies.
 *
 * @param openedCount distinct emails a person opened, clicked or replied to
 * @param clickedCount distinct emails with a click by a person
 * @param averageTimeToOpen the mean of (first such open - sent), or null when there is none
 * @param averageTimeToClick the mean of (first click by a person - sent), or null
 */
public record PersonTotals(
        long openedCount,
        long clickedCount,
        Duration averageTimeToOpen,
        Duration averageTimeToClick) {

    /** The figures of a campaign no person has touched yet. */
    public static final PersonTotals NONE = new PersonTotals(0, 0, null, null);
}
