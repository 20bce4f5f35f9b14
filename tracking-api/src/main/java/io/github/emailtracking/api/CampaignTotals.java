package io.github.emailtracking.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The aggregates a store computes for one campaign; the report adds rates to them. Raw figures
 * count every event whoever made it; {@link #person()} counts only people.
 *
 * @param sentCount how many emails were registered
 * @param openedCount how many distinct emails were opened (see {@link EmailCounters#firstOpenAt})
 * @param clickedCount how many distinct emails had at least one click
 * @param repliedCount how many distinct emails were answered
 * @param bounceCount how many distinct emails bounced, hard or soft (see {@link
 *     EmailCounters#bouncedAt})
 * @param unsubscribeCount how many distinct emails led to an unsubscribe
 * @param averageTimeToOpen the mean of (first open - sent) over opened emails, or null when none
 *     was opened; a first open before the sent time counts as no delay, and a sum of delays past
 *     the largest long counts as that long, the mean being no longer exact from then on
 * @param averageTimeToClick the mean of (first click - sent) over clicked emails, or null
 * @param openCount how many pixel fetches there were in all
 * @param clickCount how many clicks there were in all
 * @param person the figures people made
 * @param machineOpens pixel fetches judged {@link Verdict#MACHINE}
 * @param machineClicks clicks judged {@link Verdict#MACHINE}
 * @param topLinks the most followed links, by clicks descending, then by URL in code point order
 * @param timeline one row per day with any open, click or reply, oldest first
 */
public record CampaignTotals(
        long sentCount,
        long openedCount,
        long clickedCount,
        long repliedCount,
        long bounceCount,
        long unsubscribeCount,
        Duration averageTimeToOpen,
        Duration averageTimeToClick,
        long openCount,
        long clickCount,
        PersonTotals person,
        long machineOpens,
        long machineClicks,
        List<LinkClicks> topLinks,
        List<DailyEngagement> timeline) {

    /** Creates the totals; the lists are copied. */
    public CampaignTotals {
        Objects.requireNonNull(person, "person");
        topLinks = List.copyOf(topLinks);
        timeline = List.copyOf(timeline);
    }
}
