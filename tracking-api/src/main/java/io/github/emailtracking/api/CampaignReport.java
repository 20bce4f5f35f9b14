package io.github.emailtracking.api;

import java.util.Objects;

/**
 * The report of one campaign: its totals and the rates derived from them.
 *
 * @param campaign the campaign reported on
 * @param totals the aggregates over its emails
 * @param openRate opened emails as a percentage of sent ones, to one decimal; 0.0 when none was
 *     sent
 * @param clickRate clicked emails as a percentage of sent ones, to one decimal
 * @param replyRate answered emails as a percentage of sent ones, to one decimal
 */
public record CampaignReport(
        Campaign campaign,
        CampaignTotals totals,
        double openRate,
        double clickRate,
        double replyRate) {

    /** Creates the report; {@code campaign} and {@code totals} are required. */
    public CampaignReport {
        Objects.requireNonNull(campaign, "campaign");
        Objects.requireNonNull(totals, "totals");
    }
}
