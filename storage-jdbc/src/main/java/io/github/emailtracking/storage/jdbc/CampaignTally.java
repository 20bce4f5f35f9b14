package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.ReplyEvent;
import io.github.emailtracking.api.TrackingEvent;
import io.github.emailtracking.api.Verdict;
import io.github.emailtracking.api.spi.TimelineBuckets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one batch adds to its campaigns' aggregates, added up per row so that each aggregate row is
 * written once per batch. Rows are written in key order, so that two stores writing to one database
 * lock them in the same order. Used by the writer thread only.
 */
final class CampaignTally {

    private static final int OPENS = 0;
    private static final int CLICKS = 1;
    private static final int REPLIES = 2;

    private static final String ADD_LINK_CLICKS =
            """
            INSERT INTO et_campaign_link (campaign_id, url_key, url, clicks) VALUES (?, ?, ?, ?)
            ON CONFLICT (campaign_id, url_key)
            DO UPDATE SET clicks = et_campaign_link.clicks + excluded.clicks\
            """;
    private static final String ADD_TO_BUCKET =
            """
            INSERT INTO et_campaign_bucket (campaign_id, bucket_start, opens, clicks, replies)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (campaign_id, bucket_start)
            DO UPDATE SET opens = et_campaign_bucket.opens + excluded.opens,
                          clicks = et_campaign_bucket.clicks + excluded.clicks,
                          replies = et_campaign_bucket.replies + excluded.replies\
            """;

    private final Map<String, long[]> totals = new TreeMap<>();
    private final Map<LinkKey, long[]> links = new TreeMap<>();
    private final Map<BucketKey, long[]> buckets = new TreeMap<>();

    /** Counts one email registered in a campaign. */
    void countSent(String campaignId) {
        totals(campaignId)[CampaignFigure.SENT.ordinal()]++;
    }

    /**
     * Adds what the events of one email change in its campaign.
     *
     * @param email the email's row as it was before the events
     * @param after the email's firsts once the events are applied
     * @param events the events that count: a retried reply is not among them
     */
    void add(EmailRow email, Firsts after, List<TrackingEvent> events) {
        Firsts before = email.firsts();
        long[] campaign = totals(email.campaignId());
        long sentAt = email.sentAt();
        addFirst(campaign, sentAt, before.open(), after.open(), CampaignFigure.OPENED);
        addFirst(campaign, sentAt, before.click(), after.click(), CampaignFigure.CLICKED);
        addFirst(
                campaign,
                sentAt,
                before.personOpen(),
                after.personOpen(),
                CampaignFigure.PERSON_OPENED);
        addFirst(
                campaign,
                sentAt,
                before.personClick(),
                after.personClick(),
                CampaignFigure.PERSON_CLICKED);
        campaign[CampaignFigure.REPLIED.ordinal()] += becameSet(before.reply(), after.reply());
        campaign[CampaignFigure.BOUNCED.ordinal()] += becameSet(before.bounce(), after.bounce());
        campaign[CampaignFigure.UNSUBSCRIBED.ordinal()] +=
                becameSet(before.unsubscribe(), after.unsubscribe());

        for (TrackingEvent event : events) {
            countEvent(email.campaignId(), campaign, event);
        }
    }

    /**
     * Adds the folded opens of one email, whose firsts {@link #add} has counted.
     *
     * @param campaignId the email's campaign
     * @param opens the opens
     */
    void addFolded(String campaignId, FoldedOpens opens) {
        long[] campaign = totals(campaignId);
        campaign[CampaignFigure.OPENS.ordinal()] += opens.count();
        campaign[CampaignFigure.MACHINE_OPENS.ordinal()] += opens.byMachine();
        for (Map.Entry<Long, Long> bucket : opens.perBucket().entrySet()) {
            BucketKey key = new BucketKey(campaignId, bucket.getKey());
            buckets.computeIfAbsent(key, k -> new long[3])[OPENS] += bucket.getValue();
        }
    }

    /**
     * Writes everything added up, in key order. A kind of aggregate with nothing to add is skipped,
     * statement and all: most batches only append opens to the journal, and change none.
     */
    void flush(WriteTransaction transaction) throws SQLException {
        totals.values().removeIf(CampaignTally::isZero);
        if (!totals.isEmpty()) {
            flushTotals(transaction.statement(CampaignFigure.addToTotals(transaction.dialect())));
        }
        if (!links.isEmpty()) {
            flushLinks(transaction.statement(ADD_LINK_CLICKS));
        }
        if (!buckets.isEmpty()) {
            flushBuckets(transaction.statement(ADD_TO_BUCKET));
        }
        totals.clear();
        links.clear();
        buckets.clear();
    }

    /**
     * Accounts for an email's first event of some kind moving from {@code before} (null: none) to
     * {@code after}: in the count of emails that had one, and in the sum of their delays.
     */
    private static void addFirst(
            long[] campaign, long sentAt, Long before, Long after, CampaignFigure count) {
        campaign[count.ordinal()] += becameSet(before, after);
        int delay = delayOf(count).ordinal();
        campaign[delay] = saturated(campaign[delay], delayChange(sentAt, before, after));
    }

    private static CampaignFigure delayOf(CampaignFigure count) {
        return switch (count) {
            case OPENED -> CampaignFigure.OPEN_DELAY;
            case CLICKED -> CampaignFigure.CLICK_DELAY;
            case PERSON_OPENED -> CampaignFigure.PERSON_OPEN_DELAY;
            case PERSON_CLICKED -> CampaignFigure.PERSON_CLICK_DELAY;
            default -> throw new IllegalArgumentException(count + " has no delay");
        };
    }

    private void countEvent(String campaignId, long[] campaign, TrackingEvent event) {
        if (event instanceof OpenEvent open) {
            campaign[CampaignFigure.OPENS.ordinal()]++;
            campaign[CampaignFigure.MACHINE_OPENS.ordinal()] +=
                    byMachine(open.classification().verdict());
            addToTimeline(campaignId, event, OPENS);
        } else if (event instanceof ClickEvent click) {
            campaign[CampaignFigure.CLICKS.ordinal()]++;
            campaign[CampaignFigure.MACHINE_CLICKS.ordinal()] +=
                    byMachine(click.classification().verdict());
            links.computeIfAbsent(new LinkKey(campaignId, click.url()), key -> new long[1])[0]++;
            addToTimeline(campaignId, event, CLICKS);
        } else if (event instanceof ReplyEvent) {
            addToTimeline(campaignId, event, REPLIES);
        }
    }

    private void addToTimeline(String campaignId, TrackingEvent event, int column) {
        long start = TimelineBuckets.bucketStart(event.at());
        buckets.computeIfAbsent(new BucketKey(campaignId, start), key -> new long[3])[column]++;
    }

    private void flushTotals(PreparedStatement update) throws SQLException {
        for (Map.Entry<String, long[]> entry : totals.entrySet()) {
            long[] figures = entry.getValue();
            for (int i = 0; i < figures.length; i++) {
                update.setLong(i + 1, figures[i]);
            }
            update.setString(figures.length + 1, entry.getKey());
            update.addBatch();
        }
        update.executeBatch();
    }

    private void flushLinks(PreparedStatement upsert) throws SQLException {
        for (Map.Entry<LinkKey, long[]> entry : links.entrySet()) {
            LinkKey link = entry.getKey();
            upsert.setString(1, link.campaignId());
            upsert.setBytes(2, Sha256.of(link.url()));
            upsert.setString(3, link.url());
            upsert.setLong(4, entry.getValue()[0]);
            upsert.addBatch();
        }
        upsert.executeBatch();
    }

    private void flushBuckets(PreparedStatement upsert) throws SQLException {
        for (Map.Entry<BucketKey, long[]> entry : buckets.entrySet()) {
            long[] counts = entry.getValue();
            upsert.setString(1, entry.getKey().campaignId());
            upsert.setLong(2, entry.getKey().start());
            upsert.setLong(3, counts[OPENS]);
            upsert.setLong(4, counts[CLICKS]);
            upsert.setLong(5, counts[REPLIES]);
            upsert.addBatch();
        }
        upsert.executeBatch();
    }

    private long[] totals(String campaignId) {
        return totals.computeIfAbsent(campaignId, id -> new long[CampaignFigure.values().length]);
    }

    private static boolean isZero(long[] figures) {
        for (long figure : figures) {
            if (figure != 0) {
                return false;
            }
        }
        return true;
    }

    private static long byMachine(Verdict verdict) {
        return verdict.isPerson() ? 0 : 1;
    }

    private static long becameSet(Long before, Long after) {
        return before == null && after != null ? 1 : 0;
    }

    /** Returns how much the email's delay to its first event changed, each clamped at zero. */
    private static long delayChange(long sentAt, Long before, Long after) {
        if (after == null || after.equals(before)) {
            return 0;
        }
        long old = before == null ? 0 : Math.max(0, saturated(before, -sentAt));
        return saturated(Math.max(0, saturated(after, -sentAt)), -old);
    }

    /**
     * Returns {@code a + b}, or the largest or smallest long where the sum would pass it: a sum of
     * delays over millions of emails sent decades before they were opened could.
     */
    static long saturated(long a, long b) {
        long sum = a + b;
        boolean overflowed = ((a ^ sum) & (b ^ sum)) < 0;
        return overflowed ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }

    private record LinkKey(String campaignId, String url) implements Comparable<LinkKey> {
        @Override
        public int compareTo(LinkKey other) {
            int byCampaign = campaignId.compareTo(other.campaignId);
            return byCampaign != 0 ? byCampaign : url.compareTo(other.url);
        }
    }

    private record BucketKey(String campaignId, long start) implements Comparable<BucketKey> {
        @Override
        public int compareTo(BucketKey other) {
            int byCampaign = campaignId.compareTo(other.campaignId);
            return byCampaign != 0 ? byCampaign : Long.compare(start, other.start);
        }
    }
}
