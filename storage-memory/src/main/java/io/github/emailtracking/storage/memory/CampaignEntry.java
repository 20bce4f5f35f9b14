package io.github.emailtracking.storage.memory;

import io.github.emailtracking.api.Campaign;

/** One campaign and its aggregates; its lock guards its emails too. */
record CampaignEntry(Campaign campaign, CampaignAggregates totals) {

    CampaignEntry(Campaign campaign) {
        this(campaign, new CampaignAggregates());
    }
}
