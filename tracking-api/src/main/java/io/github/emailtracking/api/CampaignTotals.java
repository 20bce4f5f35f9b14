package io.github.emailtracking.api;

import java.time.Duration;
import java.util.List;

/**
 * The aggregates a store computes for one campaign; the report adds rates to them.
 *
 * @param sentCount how many emails were registered
 * @param openedCount how many distinct emails were opened at least once
 * @param clickedCount how many distinct emails had at least one click
 * @param repliedCount how many distinct emails were answered
 * @param bounceCount how many distinct emails bounced
 * @param unsubscribeCount how many distinct emails led to an unsubscribe
 * @param averageTimeToOpen the mean of (first open - sent) over opened emails, or null when none
 *     was opened
 * @param averageTimeToClick the mean of (first click - sent) over clicked emails, or null when none
 *     was clicked
 * @param topLinks the most followed links, by clicks descending, then by URL
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
        List<LinkClicks> topLinks,
        List<DailyEngagement> timeline) {

    /** Creates the totals; the lists are copied. */
    public CampaignTotals {
        topLinks = List.copyOf(topLinks);
        timeline = List.copyOf(timeline);
    }
}
