package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.ReplyEvent;
import io.github.emailtracking.api.TrackingEvent;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one batch adds to its campaigns' aggregates, added up per row so that each aggregate row is
 * written once per batch. Rows are written in key order, so that two stores writing to one database
 * lock them in the same order. Used by the writer thread only.
 */
final class CampaignTally {

    /** The width of a timeline bucket; every zone offset in use is a multiple of it. */
    static final long BUCKET_MILLIS = Duration.ofMinutes(15).toMillis();

    private static final String ADD_TO_TOTALS =
            """
            UPDATE et_campaign_totals
               SET sent_count = sent_count + ?, opened_count = opened_count + ?,
                   clicked_count = clicked_count + ?, replied_count = replied_count + ?,
                   bounced_count = bounced_count + ?, unsubscribed_count = unsubscribed_count + ?,
                   open_delay_ms = open_delay_ms + ?, click_delay_ms = click_delay_ms + ?
             WHERE campaign_id = ?\
            """;
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

    private final Map<String, Totals> totals = new TreeMap<>();
    private final Map<LinkKey, long[]> links = new TreeMap<>();
    private final Map<BucketKey, long[]> buckets = new TreeMap<>();

    /** Counts one email registered in a campaign. */
    void countSent(String campaignId) {
        totals(campaignId).sent++;
    }

    /**
     * Adds what the events of one email change in its campaign.
     *
     * @param email the email's row as it was before the events
     * @param after the email's firsts once the events are applied
     */
    void add(EmailRow email, Firsts after, List<TrackingEvent> events) {
        Firsts before = email.firsts();
        Totals campaign = totals(email.campaignId());
        campaign.opened += becameSet(before.open(), after.open());
        campaign.clicked += becameSet(before.click(), after.click());
        campaign.replied += becameSet(before.reply(), after.reply());
        campaign.bounced += becameSet(before.bounce(), after.bounce());
        campaign.unsubscribed += becameSet(before.unsubscribe(), after.unsubscribe());
        campaign.openDelay += delayChange(email.sentAt(), before.open(), after.open());
        campaign.clickDelay += delayChange(email.sentAt(), before.click(), after.click());

        for (TrackingEvent event : events) {
            addToTimeline(email.campaignId(), event);
        }
    }

    /** Writes everything added up, in key order. */
    void flush(WriteTransaction transaction) throws SQLException {
        flushTotals(transaction.statement(ADD_TO_TOTALS));
        flushLinks(transaction.statement(ADD_LINK_CLICKS));
        flushBuckets(transaction.statement(ADD_TO_BUCKET));
    }

    private void addToTimeline(String campaignId, TrackingEvent event) {
        int column;
        if (event instanceof OpenEvent) {
            column = 0;
        } else if (event instanceof ClickEvent click) {
            column = 1;
            links.computeIfAbsent(new LinkKey(campaignId, click.url()), key -> new long[1])[0]++;
        } else if (event instanceof ReplyEvent) {
            column = 2;
        } else {
            return;
        }
        long start = Math.floorDiv(event.at().toEpochMilli(), BUCKET_MILLIS) * BUCKET_MILLIS;
        buckets.computeIfAbsent(new BucketKey(campaignId, start), key -> new long[3])[column]++;
    }

    private void flushTotals(PreparedStatement update) throws SQLException {
        for (Map.Entry<String, Totals> entry : totals.entrySet()) {
            Totals t = entry.getValue();
            if (t.isZero()) {
                continue;
            }
            long[] values = {
                t.sent,
                t.opened,
                t.clicked,
                t.replied,
                t.bounced,
                t.unsubscribed,
                t.openDelay,
                t.clickDelay
            };
            for (int i = 0; i < values.length; i++) {
                update.setLong(i + 1, values[i]);
            }
            update.setString(values.length + 1, entry.getKey());
            update.addBatch();
        }
        update.executeBatch();
    }

    private void flushLinks(PreparedStatement upsert) throws SQLException {
        for (Map.Entry<LinkKey, long[]> entry : links.entrySet()) {
            LinkKey link = entry.getKey();
            upsert.setString(1, link.campaignId());
            upsert.setBytes(2, UrlKeys.of(link.url()));
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
            upsert.setLong(3, counts[0]);
            upsert.setLong(4, counts[1]);
            upsert.setLong(5, counts[2]);
            upsert.addBatch();
        }
        upsert.executeBatch();
    }

    private Totals totals(String campaignId) {
        return totals.computeIfAbsent(campaignId, id -> new Totals());
    }

    private static long becameSet(Long before, Long after) {
        return before == null && after != null ? 1 : 0;
    }

    /** Returns how much the email's delay to its first event changed, each clamped at zero. */
    private static long delayChange(long sentAt, Long before, Long after) {
        if (after == null || after.equals(before)) {
            return 0;
        }
        long old = before == null ? 0 : Math.max(0, before - sentAt);
        return Math.max(0, after - sentAt) - old;
    }

    /** The additions to one campaign's totals row. */
    private static final class Totals {
        long sent;
        long opened;
        long clicked;
        long replied;
        long bounced;
        long unsubscribed;
        long openDelay;
        long clickDelay;

        boolean isZero() {
            return sent == 0
                    && opened == 0
                    && clicked == 0
                    && replied == 0
                    && bounced == 0
                    && unsubscribed == 0
                    && openDelay == 0
                    && clickDelay == 0;
        }
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
