package io.github.emailtracking.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.CampaignId;
import io.github.emailtracking.api.CampaignTotals;
import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.LinkClicks;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.TrackedEmail;
import io.github.emailtracking.api.TrackingId;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/** A campaign whose emails fall in every shard reports the same as one kept in one piece. */
class CampaignShardsTest {

    private static final Instant SENT = Instant.parse("2026-03-02T09:00:00Z");
    private static final String SHARED = "https://example.com/shared";
    private static final int EMAILS = 4 * CampaignEntry.SHARDS;

    private final MemoryTrackingStore store = new MemoryTrackingStore();
    private final Campaign campaign =
            new Campaign(new CampaignId("c1"), "Spring", "alice", null, SENT);

    @Test
    void report_ofEmailsInEveryShard_addsTheShardsUp() throws Exception {
        List<TrackingId> ids = registerEmails();
        forEachEmailAtOnce(e -> recordOpensAndAClick(ids.get(e), e + 1));

        CampaignTotals totals =
                store.campaignTotals(campaign.id(), ZoneOffset.UTC, 1).orElseThrow();
        assertThat(totals.sentCount()).isEqualTo(EMAILS);
        assertThat(totals.openedCount()).isEqualTo(EMAILS);
        assertThat(totals.openCount()).isEqualTo(3L * EMAILS);
        // First opens 1 to 64 minutes after sending: a mean of 32.5 minutes.
        assertThat(totals.averageTimeToOpen()).isEqualTo(Duration.ofSeconds(1950));
        assertThat(totals.topLinks()).containsExactly(new LinkClicks(SHARED, EMAILS));
    }

    @Test
    void erase_whileOtherShardsRecordAndErase_keepsSharedLinksAndLosesNoCount() throws Exception {
        List<TrackingId> ids = registerEmails();
        forEachEmailAtOnce(
                e -> {
                    recordOpensAndAClick(ids.get(e), 1);
                    if (e % 4 == 0) {
                        store.eraseRecipient(recipient(ids.get(e)));
                    }
                });

        CampaignTotals totals =
                store.campaignTotals(campaign.id(), ZoneOffset.UTC, 1).orElseThrow();
        assertThat(totals.openCount()).isEqualTo(3L * EMAILS);
        assertThat(totals.topLinks()).containsExactly(new LinkClicks(SHARED, EMAILS));
    }

    /** Registers emails t0, t1, ...: ids that differ in their last character spread evenly. */
    private List<TrackingId> registerEmails() {
        store.saveCampaign(campaign);
        List<TrackingId> ids = new ArrayList<>();
        Set<CampaignAggregates> shards = new HashSet<>();
        CampaignEntry entry = new CampaignEntry(campaign);
        for (int e = 0; e < EMAILS; e++) {
            TrackingId id = new TrackingId("t" + e);
            store.saveEmail(
                    new TrackedEmail(id, campaign.id(), recipient(id), SENT, "<" + id + "@m>"),
                    Set.of(SHARED));
            ids.add(id);
            shards.add(entry.shardOf(id));
        }
        assertThat(shards).hasSize(CampaignEntry.SHARDS);
        return ids;
    }

    /** Runs {@code work} for each email's index, from 8 threads, and waits for every one. */
    private static void forEachEmailAtOnce(IntConsumer work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int e = 0; e < EMAILS; e++) {
                int email = e;
                done.add(pool.submit(() -> work.accept(email)));
            }
            for (Future<?> task : done) {
                task.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void recordOpensAndAClick(TrackingId id, long minutes) {
        Instant first = SENT.plus(Duration.ofMinutes(minutes));
        store.record(new OpenEvent(id, first.plusSeconds(20), null, null));
        store.record(new OpenEvent(id, first, null, null));
        store.record(new OpenEvent(id, first.plusSeconds(40), null, null));
        store.record(new ClickEvent(id, first.plusSeconds(50), SHARED, null, null));
    }

    private static String recipient(TrackingId id) {
        return id.value() + "@example.com";
    }
}
