package io.github.emailtracking.storage.jdbc;

import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.SENT;
import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.attachment;
import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.campaign;
import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.count;
import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.email;
import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.execute;
import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.id;
import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.journal;
import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.randomBytes;
import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.runAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.emailtracking.api.BounceEvent;
import io.github.emailtracking.api.BounceType;
import io.github.emailtracking.api.CampaignId;
import io.github.emailtracking.api.CampaignTotals;
import io.github.emailtracking.api.Classification;
import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.EmailCounters;
import io.github.emailtracking.api.EmailStatus;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.ReminderEvent;
import io.github.emailtracking.api.ReplyEvent;
import io.github.emailtracking.api.TrackedEmail;
import io.github.emailtracking.api.TrackingId;
import io.github.emailtracking.api.UnsubscribeEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Which event rows the JDBC store keeps (all, or the first ones up to a cap; none of an erased
 * recipient; none older than a retention cutoff), and that its counters and reports stay the same
 * whatever goes, in the database itself, across a restart. A subclass names the database.
 */
abstract class KeptRowsBehaviour {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Instant LONG_AGO = SENT.minus(Duration.ofDays(400));

    /** Counts the rows of one email in each table that refers to it, and its own. */
    private static final List<String> ROWS_OF_AN_EMAIL =
            List.of(
                    "SELECT COUNT(*) FROM et_email WHERE tracking_id = '%s'",
                    "SELECT COUNT(*) FROM et_link WHERE tracking_id = '%s'",
                    "SELECT COUNT(*) FROM et_open WHERE tracking_id = '%s'",
                    "SELECT COUNT(*) FROM et_click WHERE tracking_id = '%s'",
                    "SELECT COUNT(*) FROM et_reply WHERE tracking_id = '%s'",
                    "SELECT COUNT(*) FROM et_reminder WHERE tracking_id = '%s'",
                    "SELECT COUNT(*) FROM et_bounce WHERE tracking_id = '%s'",
                    "SELECT COUNT(*) FROM et_unsubscribe WHERE tracking_id = '%s'",
                    "SELECT COUNT(*) FROM et_attachment WHERE tracking_id = '%s'");

    /** Returns the URL of a new, empty database. */
    abstract String newDatabaseUrl();

    JdbcTrackingStore open(String url) {
        return JdbcTrackingStore.builder().jdbcUrl(url).build();
    }

    JdbcTrackingStore openKeepingAtMost(String url, int eventsPerEmail) {
        return JdbcTrackingStore.builder().jdbcUrl(url).maxEventsPerEmail(eventsPerEmail).build();
    }

    @Test
    void eraseRecipient_thenReopen_leavesNoRowOfTheRecipient_andTheSameReport()
            throws IOException, SQLException {
        String url = newDatabaseUrl();
        CampaignTotals before;
        try (JdbcTrackingStore store = open(url)) {
            store.saveCampaign(campaign("c1"));
            store.saveCampaign(campaign("c2"));
            store.saveEmail(addressedTo("t1", "c1", "Ana@Example.com"), Set.of("https://e.com/"));
            store.saveEmail(addressedTo("t2", "c2", "ana@example.COM"), Set.of());
            store.saveEmail(addressedTo("t3", "c1", "bo@example.com"), Set.of("https://e.com/"));
            everyKindOfEvent(store, id("t1"));
            everyKindOfEvent(store, id("t2"));
            everyKindOfEvent(store, id("t3"));
            store.saveAttachment(
                    attachment("a1", id("t1")), new ByteArrayInputStream(randomBytes(10)));
            before = totals(store, "c1");

            assertThat(store.eraseRecipient("ANA@example.com")).isEqualTo(2);
        }

        try (JdbcTrackingStore store = open(url)) {
            assertThat(totals(store, "c1")).isEqualTo(before);
            assertThat(rowsOf(url, "t1")).containsOnly(0L);
            assertThat(rowsOf(url, "t2")).containsOnly(0L);
            assertThat(count(url, "SELECT COUNT(*) FROM et_attachment_chunk")).isZero();
            assertThat(rowsOf(url, "t3")).contains(1L);
            assertThat(store.record(new OpenEvent(id("t1"), SENT, null, null))).isFalse();
            assertThat(totals(store, "c1")).isEqualTo(before);
        }
    }

    @Test
    void eraseRecipient_addressInAnotherCaseBeyondAscii_erasesIt() {
        try (JdbcTrackingStore store = open(newDatabaseUrl())) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(addressedTo("t1", "c1", "ÉMILE.ÇA@Example.com"), Set.of());

            int erased = store.eraseRecipient("émile.ça@example.com");

            assertThat(erased).isEqualTo(1);
            assertThat(store.findEmail(id("t1"))).isEmpty();
        }
    }

    @Test
    void eraseRecipient_emailStoredBeforeFoldedKeys_isFoundByItsAddressLowerCased()
            throws SQLException {
        String url = newDatabaseUrl();
        try (JdbcTrackingStore store = open(url)) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(addressedTo("t1", "c1", "ΝΙΚΟΣ@example.gr"), Set.of());
            store.saveEmail(addressedTo("t2", "c1", "other@example.com"), Set.of());
            store.saveEmail(addressedTo("t3", "c1", "Jose\u0301@example.com"), Set.of());
        }
        // As an email stored before the column was added holds them: no folded key. t2 keeps its
        // own, and a lower-cased address that is some other address's.
        execute(
                url,
                "UPDATE et_email SET recipient_fold = NULL WHERE tracking_id <> 't2'",
                "UPDATE et_email SET recipient_key = 'x@example.com' WHERE tracking_id = 't2'");

        try (JdbcTrackingStore store = open(url)) {
            assertThat(store.eraseRecipient("νικοσ@example.gr")).isZero();
            assertThat(store.eraseRecipient("ΝΙΚΟΣ@EXAMPLE.GR")).isEqualTo(1);
            assertThat(store.eraseRecipient("X@example.com")).isZero();
            assertThat(store.eraseRecipient("JOSE\u0301@example.com")).isEqualTo(1);
            assertThat(store.findEmail(id("t2"))).isPresent();
        }
    }

    @Test
    void eraseRecipient_whileAnotherStoreRecordsItsEvents_leavesNoRowBehind() throws Exception {
        String url = newDatabaseUrl();
        CountDownLatch someRecorded = new CountDownLatch(50);
        AtomicBoolean erased = new AtomicBoolean();
        try (JdbcTrackingStore first = open(url);
                JdbcTrackingStore second = open(url)) {
            first.saveCampaign(campaign("c1"));
            first.saveEmail(addressedTo("t1", "c1", "ana@example.com"), Set.of());

            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                tasks.add(() -> recordUntilErased(first, id("t1"), someRecorded, erased));
            }
            tasks.add(
                    () -> {
                        someRecorded.await();
                        try {
                            assertThat(second.eraseRecipient("ana@example.com")).isEqualTo(1);
                        } finally {
                            erased.set(true);
                        }
                        return null;
                    });
            runAll(tasks);

            assertThat(rowsOf(url, "t1")).containsOnly(0L);
            assertThat(totals(second, "c1").openCount()).isGreaterThanOrEqualTo(50);
        }
    }

    @Test
    void deleteEventsBefore_thenReopen_keepsCountersAndReports() throws SQLException {
        String url = newDatabaseUrl();
        Instant cutoff = SENT.plus(Duration.ofDays(30));
        EmailCounters counters;
        CampaignTotals before;
        try (JdbcTrackingStore store = open(url)) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id("t1"), "c1"), Set.of());
            everyKindOfEvent(store, id("t1"));
            store.record(new OpenEvent(id("t1"), cutoff, null, null));
            counters = store.status(id("t1"), Page.NEWEST).orElseThrow().counters();
            before = totals(store, "c1");

            assertThat(store.deleteEventsBefore(cutoff)).isEqualTo(8);
        }

        try (JdbcTrackingStore store = open(url)) {
            EmailStatus status = store.status(id("t1"), Page.NEWEST).orElseThrow();

            assertThat(status.counters()).isEqualTo(counters);
            assertThat(status.opens()).extracting(OpenEvent::at).containsExactly(cutoff);
            assertThat(totals(store, "c1")).isEqualTo(before);
            assertThat(count(url, "SELECT COUNT(*) FROM et_reply")).isZero();
            assertThat(count(url, "SELECT COUNT(*) FROM et_unsubscribe")).isZero();
        }
    }

    @Test
    void deleteEventsBefore_rowsOverManyWindows_deletesEveryOldRowAndNoOther() throws SQLException {
        String url = newDatabaseUrl();
        int rows = 2 * JdbcTrackingStore.DELETE_WINDOW + 500;
        try (JdbcTrackingStore store = open(url)) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id("t1"), "c1"), Set.of());
            insertOpensOldAndNew(url, rows);

            long deleted = store.deleteEventsBefore(SENT);

            assertThat(deleted).isEqualTo(rows / 2);
            assertThat(count(url, "SELECT COUNT(*) FROM et_open")).isEqualTo(rows / 2);
            assertThat(count(url, "SELECT MIN(opened_at) FROM et_open"))
                    .isEqualTo(SENT.toEpochMilli());
        }
    }

    @Test
    void cappedStore_reopened_goesOnFromTheEmailsCounters() throws SQLException {
        String url = newDatabaseUrl();
        try (JdbcTrackingStore store = openKeepingAtMost(url, 3)) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id("t1"), "c1"), Set.of());
            opensAndClicks(store, 0, 2);
        }

        try (JdbcTrackingStore store = openKeepingAtMost(url, 3)) {
            opensAndClicks(store, 2, 6);
            EmailStatus status = store.status(id("t1"), Page.NEWEST).orElseThrow();
            CampaignTotals totals = totals(store, "c1");

            assertThat(status.opens())
                    .extracting(OpenEvent::at)
                    .containsExactly(SENT, SENT.plusSeconds(1), SENT.plusSeconds(2));
            assertThat(status.clicks()).hasSize(3);
            assertThat(status.counters().openCount()).isEqualTo(6);
            assertThat(status.counters().lastOpenAt()).isEqualTo(SENT.plusSeconds(5));
            assertThat(totals.openCount()).isEqualTo(6);
            assertThat(totals.clickCount()).isEqualTo(6);
            assertThat(totals.machineClicks()).isEqualTo(6);
            assertThat(totals.topLinks()).hasSize(6);
            assertThat(count(url, "SELECT COUNT(*) FROM et_open")).isEqualTo(3);
        }
    }

    @Test
    void cappedStore_foldingMoreOpensThanTheRoomLeft_keepsTheOldestRows() throws SQLException {
        String url = newDatabaseUrl();
        try (JdbcTrackingStore store = openKeepingAtMost(url, 3)) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id("t1"), "c1"), Set.of());
            store.record(new OpenEvent(id("t1"), SENT, null, null));
            store.status(id("t1"), Page.NEWEST);
        }
        for (int second : new int[] {10, 20, 30, 40}) {
            journal(url, "t1", second, "human", null);
        }

        try (JdbcTrackingStore store = openKeepingAtMost(url, 3)) {
            EmailStatus status = store.status(id("t1"), Page.NEWEST).orElseThrow();

            assertThat(status.opens())
                    .extracting(OpenEvent::at)
                    .containsExactly(SENT, SENT.plusSeconds(10), SENT.plusSeconds(20));
            assertThat(status.counters().openCount()).isEqualTo(5);
            assertThat(status.counters().lastOpenAt()).isEqualTo(SENT.plusSeconds(40));
            assertThat(totals(store, "c1").openCount()).isEqualTo(5);
            assertThat(count(url, "SELECT COUNT(*) FROM et_open")).isEqualTo(3);
        }
    }

    @Test
    void cappedStore_manyWritersAtOnce_keepExactlyTheCap() {
        try (JdbcTrackingStore store = openKeepingAtMost(newDatabaseUrl(), 2)) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id("t1"), "c1"), Set.of());
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                tasks.add(() -> opensAndClicks(store, 0, 25));
            }

            runAllUnchecked(tasks);
            EmailStatus status = store.status(id("t1"), Page.NEWEST).orElseThrow();

            assertThat(status.opens()).hasSize(2);
            assertThat(status.clicks()).hasSize(2);
            assertThat(status.counters().openCount()).isEqualTo(200);
            assertThat(totals(store, "c1").openCount()).isEqualTo(200);
        }
    }

    private static TrackedEmail addressedTo(String trackingId, String campaignId, String address) {
        return new TrackedEmail(
                id(trackingId),
                new CampaignId(campaignId),
                address,
                SENT,
                "<" + trackingId + "@mail.test>");
    }

    /** Records one event of each kind, a year and more before {@link JdbcStoreBehaviour#SENT}. */
    private static void everyKindOfEvent(JdbcTrackingStore store, TrackingId id) {
        store.record(new OpenEvent(id, LONG_AGO, "192.0.2.1", "Mail"));
        store.record(
                new OpenEvent(
                        id, LONG_AGO, "17.0.0.1", "Mail", Classification.machine("prefetch")));
        store.record(new ClickEvent(id, LONG_AGO.plusSeconds(60), "https://e.com/", "::1", "UA"));
        store.record(new ReplyEvent(id, LONG_AGO.plusSeconds(120), "private", 1, "<r@m.test>"));
        store.record(new ReminderEvent(id, LONG_AGO.plusSeconds(180)));
        store.record(new BounceEvent(id, LONG_AGO.plusSeconds(240), BounceType.SOFT, "full"));
        store.record(new BounceEvent(id, LONG_AGO.plusSeconds(300), BounceType.HARD, "gone"));
        store.record(new UnsubscribeEvent(id, LONG_AGO.plusSeconds(360)));
    }

    /** Records opens, and clicks by a scanner, at seconds {@code from} to {@code to} - 1. */
    private static Void opensAndClicks(JdbcTrackingStore store, int from, int to) {
        Classification scanner = Classification.machine("link-scanner");
        for (int i = from; i < to; i++) {
            store.record(new OpenEvent(id("t1"), SENT.plusSeconds(i), null, null));
            store.record(
                    new ClickEvent(
                            id("t1"),
                            SENT.plusSeconds(i),
                            "https://e.com/" + i,
                            null,
                            null,
                            scanner));
        }
        return null;
    }

    /**
     * Records opens until the email is gone, counting down once per stored one; once the erasure
     * has returned, checks that the store no longer knows the email.
     */
    private static Void recordUntilErased(
            JdbcTrackingStore store, TrackingId id, CountDownLatch recorded, AtomicBoolean erased) {
        while (!erased.get() && store.record(new OpenEvent(id, SENT, "192.0.2.1", "Mail"))) {
            store.record(new ClickEvent(id, SENT, "https://e.com/", null, null));
            recorded.countDown();
        }
        assertThat(store.record(new OpenEvent(id, SENT, "192.0.2.1", "Mail"))).isFalse();
        return null;
    }

    /** Inserts open rows of t1 straight into the table, every other one a year before SENT. */
    private static void insertOpensOldAndNew(String url, int rows) throws SQLException {
        long old = LONG_AGO.toEpochMilli();
        long recent = SENT.toEpochMilli();
        execute(
                url,
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
                        + rows
                        + ") INSERT INTO et_open (tracking_id, opened_at, verdict)"
                        + " SELECT 't1', CASE WHEN i % 2 = 0 THEN "
                        + old
                        + " ELSE "
                        + recent
                        + " END, 'human' FROM n");
    }

    private static List<Long> rowsOf(String url, String trackingId) throws SQLException {
        List<Long> counts = new ArrayList<>();
        for (String query : ROWS_OF_AN_EMAIL) {
            counts.add(count(url, query.formatted(trackingId)));
        }
        return counts;
    }

    private static CampaignTotals totals(JdbcTrackingStore store, String campaignId) {
        return store.campaignTotals(new CampaignId(campaignId), BERLIN, 10).orElseThrow();
    }

    private static void runAllUnchecked(List<Callable<Void>> tasks) {
        try {
            runAll(tasks);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
