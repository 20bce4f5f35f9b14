package io.github.emailtracking.api;

import java.util.Objects;

/**
 * The report of one campaign: its totals and the rates derived from them. Rates are percentages of
 * the sent emails, rounded half up to one decimal; 0.0 when nothing was sent.
 *
 * @param campaign the campaign reported on
 * @param totals the aggregates over its emails
 * @param openRate opened emails as a percentage of sent ones
 * @param clickRate clicked emails as a percentage of sent ones
 * @param replyRate answered emails as a percentage of sent ones
 * @param personOpenRate emails a person opened as a percentage of sent ones
 * @param personClickRate emails a person clicked as a percentage of sent ones
 */
public record CampaignReport(
        Campaign campaign,
        CampaignTotals totals,
        double openRate,
        double clickRate,
        double replyRate,
        double personOpenRate,
        double personClickRate) {

    /** Creates the report; {@code campaign} and {@code totals} are required. */
    public CampaignReport {
        Objects.requireNonNull(campaign, "campaign");
        Objects.requireNonNull(totals, "totals");
    }
}
