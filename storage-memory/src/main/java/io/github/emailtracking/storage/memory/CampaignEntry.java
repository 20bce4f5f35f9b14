package io.github.emailtracking.storage.memory;

import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.CampaignTotals;
import io.github.emailtracking.api.TrackingId;
import java.time.ZoneId;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One campaign, its aggregates split in {@value #SHARDS} shards. An email belongs to the shard its
 * tracking id picks; the shard's lock guards the email and the shard's aggregates, so that events
 * of different emails of one campaign rarely wait for each other. A report adds the shards up, one
 * lock at a time.
 */
final class CampaignEntry {

    /** How many independently locked parts a campaign's aggregates have. */
    static final int SHARDS = 16;

    private final Campaign campaign;
    private final CampaignAggregates[] shards = new CampaignAggregates[SHARDS];

    CampaignEntry(Campaign campaign) {
        this.campaign = campaign;
        for (int i = 0; i < SHARDS; i++) {
            shards[i] = new CampaignAggregates();
        }
    }

    Campaign campaign() {
        return campaign;
    }

    /** Returns the shard of an email: its aggregates, which are also its lock. */
    CampaignAggregates shardOf(TrackingId email) {
        int hash = email.value().hashCode();
        return shards[(hash ^ (hash >>> 16)) & (SHARDS - 1)];
    }

    /** Adds the shards up into the campaign's figures, holding one shard's lock at a time. */
    CampaignTotals snapshot(ZoneId zone, int topLinkLimit) {
        CampaignAggregates sum = new CampaignAggregates();
        for (CampaignAggregates shard : shards) {
            synchronized (shard) {
                shard.addTo(sum);
            }
        }
        return sum.snapshot(zone, topLinkLimit);
    }

    /**
     * Forgets the links of an erased email of {@code shard}. A link that no other email of the
     * campaign registered, in any shard, is personal to the erased one and may carry its address:
     * its clicks leave the top links of every shard. The caller holds every shard's lock.
     */
    void forgetLinksOf(CampaignAggregates shard, Set<String> links) {
        links.forEach(shard::forgetOwner);
        links.stream().filter(this::unowned).forEach(this::forgetClicks);
    }

    /**
     * Runs {@code work} holding every shard's lock, taken in one order by every caller, so that it
     * may change any email of the campaign.
     */
    <T> T holdingAllShards(Supplier<T> work) {
        return holdingShards(0, work);
    }

    private boolean unowned(String url) {
        for (CampaignAggregates shard : shards) {
            if (shard.owners(url) > 0) {
                return false;
            }
        }
        return true;
    }

    private void forgetClicks(String url) {
        for (CampaignAggregates shard : shards) {
            shard.forgetClicks(url);
        }
    }

    /** Runs {@code work} holding the locks of the shards from {@code first} on, in order. */
    private <T> T holdingShards(int first, Supplier<T> work) {
        if (first == SHARDS) {
            return work.get();
        }
        synchronized (shards[first]) {
            return holdingShards(first + 1, work);
        }
    }
}
