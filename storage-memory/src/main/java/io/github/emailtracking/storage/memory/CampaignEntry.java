package io.github.emailtracking.storage.memory;

import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.CampaignTotals;
import io.github.emailtracking.api.TrackingId;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * One campaign, its aggregates split in up to {@value #SHARDS} shards. An email belongs to the
 * shard its tracking id picks; the shard's lock guards the email and the shard's aggregates, so
 * that events of different emails of one campaign rarely wait for each other. A report adds the
 * shards up, one lock at a time. A shard is created with its first email, under the campaign's own
 * lock, so that a small campaign holds only the shards it uses.
 */
final class CampaignEntry {

    /** How many independently locked parts a campaign's aggregates have. */
    static final int SHARDS = 16;

    private final Campaign campaign;
    private final AtomicReferenceArray<CampaignAggregates> shards =
            new AtomicReferenceArray<>(SHARDS);

    CampaignEntry(Campaign campaign) {
        this.campaign = campaign;
    }

    Campaign campaign() {
        return campaign;
    }

    /**
     * Returns the shard of an email, created if it is the shard's first: its aggregates, which are
     * also its lock.
     */
    CampaignAggregates shardOf(TrackingId email) {
        int hash = email.value().hashCode();
        int index = (hash ^ (hash >>> 16)) & (SHARDS - 1);
        CampaignAggregates shard = shards.get(index);
        if (shard != null) {
            return shard;
        }
        synchronized (this) {
            shards.compareAndSet(index, null, new CampaignAggregates());
            return shards.get(index);
        }
    }

    /** Adds the shards up into the campaign's figures, holding one shard's lock at a time. */
    CampaignTotals snapshot(ZoneId zone, int topLinkLimit) {
        CampaignAggregates sum = new CampaignAggregates();
        for (CampaignAggregates shard : existingShards()) {
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
        // Creating a shard takes the campaign's lock, so none is created meanwhile.
        synchronized (this) {
            return holdingShards(existingShards(), 0, work);
        }
    }

    private boolean unowned(String url) {
        return existingShards().stream().allMatch(shard -> shard.owners(url) == 0);
    }

    private void forgetClicks(String url) {
        existingShards().forEach(shard -> shard.forgetClicks(url));
    }

    private List<CampaignAggregates> existingShards() {
        List<CampaignAggregates> existing = new ArrayList<>(SHARDS);
        for (int i = 0; i < SHARDS; i++) {
            CampaignAggregates shard = shards.get(i);
            if (shard != null) {
                existing.add(shard);
            }
        }
        return existing;
    }

    /** Runs {@code work} holding the locks of {@code shards} from {@code first} on, in order. */
    private static <T> T holdingShards(
            List<CampaignAggregates> shards, int first, Supplier<T> work) {
        if (first == shards.size()) {
            return work.get();
        }
        synchronized (shards.get(first)) {
            return holdingShards(shards, first + 1, work);
        }
    }
}
