package io.github.emailtracking.storage.jdbc;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.emailtracking.api.AttachmentId;
import io.github.emailtracking.api.AttachmentInfo;
import io.github.emailtracking.api.BounceEvent;
import io.github.emailtracking.api.BounceType;
import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.CampaignId;
import io.github.emailtracking.api.CampaignTotals;
import io.github.emailtracking.api.Classification;
import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.DailyEngagement;
import io.github.emailtracking.api.EmailStatus;
import io.github.emailtracking.api.InvalidRequestException;
import io.github.emailtracking.api.LinkClicks;
import io.github.emailtracking.api.NotFoundException;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.PersonTotals;
import io.github.emailtracking.api.ReplyEvent;
import io.github.emailtracking.api.StoreException;
import io.github.emailtracking.api.TrackedEmail;
import io.github.emailtracking.api.TrackingId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the JDBC store promises beyond the contract: durability across restarts, exact counts under
 * concurrent writers and several stores, migrations, group commit, streamed attachments. A subclass
 * names the database.
 */
abstract class JdbcStoreBehaviour {

    static final Instant SENT = Instant.parse("2026-02-10T09:00:00Z");

    /** Returns the URL of a new, empty database. */
    abstract String newDatabaseUrl();

    @Test
    void build_deletesOrphanChunksADayOld() throws SQLException {
        String url = newDatabaseUrl();
        Instant now = Instant.parse("2026-03-01T12:00:00Z");
        Duration day = Duration.ofDays(1);
        open(url).close();
        insertChunk(url, "crashed", now.minus(day).minus(Duration.ofMinutes(1)));
        insertChunk(url, "uploading", now.minus(day).plus(Duration.ofMinutes(1)));

        JdbcTrackingStore.builder()
                .jdbcUrl(url)
                .clock(Clock.fixed(now, ZoneOffset.UTC))
                .build()
                .close();

        assertThat(strings(url, "SELECT attachment_id FROM et_attachment_chunk"))
                .containsExactly("uploading");
    }

    /**
     * The chunks an upload has written name its email, so that an erasure deletes them also when no
     * attachment row leads to them yet: those of an upload under way, as here, and those of one
     * that a crash cut off. An upload that goes on after the erasure may write no more of them,
     * which a crash would leave behind: its next chunk fails, and so does the upload.
     */
    @Test
    void eraseRecipient_duringAnUpload_deletesItsChunks_andRefusesItsNextOne() throws Exception {
        String url = newDatabaseUrl();
        CountDownLatch firstWritten = new CountDownLatch(1);
        CountDownLatch erased = new CountDownLatch(1);
        CountDownLatch secondWritten = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        InputStream content =
                new SequenceInputStream(
                        Collections.enumeration(
                                List.of(
                                        new ByteArrayInputStream(
                                                randomBytes(JdbcTrackingStore.CHUNK_BYTES)),
                                        pause(firstWritten, erased),
                                        new ByteArrayInputStream(
                                                randomBytes(JdbcTrackingStore.CHUNK_BYTES)),
                                        pause(secondWritten, checked))));

        try (JdbcTrackingStore store = open(url)) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id("t1"), "c1"), Set.of());
            CompletableFuture<AttachmentInfo> upload =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return store.saveAttachment(
                                            attachment("a1", id("t1")), content);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            });
            assertThat(firstWritten.await(30, SECONDS)).isTrue();

            assertThat(store.eraseRecipient("t1@example.com")).isEqualTo(1);
            long chunksAfterTheErase = count(url, "SELECT COUNT(*) FROM et_attachment_chunk");
            erased.countDown();
            awaitEither(upload, secondWritten);
            long chunksWhileTheUploadGoesOn =
                    count(url, "SELECT COUNT(*) FROM et_attachment_chunk");
            checked.countDown();

            assertThat(chunksAfterTheErase).isZero();
            assertThat(chunksWhileTheUploadGoesOn).isZero();
            assertThatThrownBy(() -> upload.get(30, SECONDS))
                    .hasCauseInstanceOf(NotFoundException.class);
        }
    }

    /** Returns a stream that, read, counts down {@code reached}, waits for {@code go}, and ends. */
    private static InputStream pause(CountDownLatch reached, CountDownLatch go) {
        return new InputStream() {
            @Override
            public int read() {
                reached.countDown();
                awaitQuietly(go);
                return -1;
            }
        };
    }

    private static void awaitEither(CompletableFuture<?> done, CountDownLatch reached)
            throws InterruptedException {
        long deadline = System.nanoTime() + SECONDS.toNanos(30);
        while (!done.isDone() && reached.getCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void build_foldsTheOpensAnEarlierRunLeftInTheJournal_withoutARead() throws Exception {
        String url = newDatabaseUrl();
        registerT1WithTwoOpensLeftInTheJournal(url);

        try (JdbcTrackingStore store = open(url)) {
            awaitEmptyJournal(url);

            assertFoldedOpensOfT1(url, 2);
        }
    }

    @Test
    void idleStore_foldsOpensThatAnotherStoreAppendedAndLeft() throws Exception {
        String url = newDatabaseUrl();
        registerT1(url);

        try (JdbcTrackingStore store = open(url)) {
            store.record(new OpenEvent(id("t1"), SENT.plusSeconds(30), null, null));
            awaitEmptyJournal(url);
            // Now the store knows of no open in the journal. As a store on another node would,
            // that then crashed before folding them:
            journal(url, "t1", 60, "human", null);
            journal(url, "t1", 90, "human", null);
            awaitEmptyJournal(url);

            assertFoldedOpensOfT1(url, 3);
        }
    }

    @Test
    void status_withOpensInTheJournal_foldsThemFirst() throws Exception {
        String url = newDatabaseUrl();
        registerT1WithTwoOpensLeftInTheJournal(url);

        try (JdbcTrackingStore store = open(url)) {
            EmailStatus status = store.status(id("t1"), Page.NEWEST).orElseThrow();

            assertThat(status.counters().openCount()).isEqualTo(2);
            assertThat(status.counters().firstOpenAt()).isEqualTo(SENT.plusSeconds(30));
            assertThat(status.opens())
                    .extracting(OpenEvent::at, OpenEvent::classification)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(
                                    SENT.plusSeconds(60), Classification.HUMAN),
                            org.assertj.core.groups.Tuple.tuple(
                                    SENT.plusSeconds(30),
                                    Classification.proxy("Apple Mail Privacy Protection")));
            assertThat(count(url, "SELECT COUNT(*) FROM et_open_journal")).isZero();
        }
    }

    @Test
    void eraseRecipient_withOpensInTheJournal_deletesThemAndKeepsTheirCount() throws Exception {
        String url = newDatabaseUrl();
        registerT1(url);
        journal(url, "t1", 60, "human", null);

        try (JdbcTrackingStore store = open(url)) {
            // Erased before or after the writer folds the journal on its own: the same outcome.
            assertThat(store.eraseRecipient("t1@example.com")).isEqualTo(1);

            CampaignTotals totals =
                    store.campaignTotals(new CampaignId("c1"), ZoneOffset.UTC, 10).orElseThrow();
            assertThat(totals.openCount()).isEqualTo(1);
            assertThat(totals.openedCount()).isEqualTo(1);
            assertThat(count(url, "SELECT COUNT(*) FROM et_open_journal")).isZero();
            assertThat(count(url, "SELECT COUNT(*) FROM et_open")).isZero();
        }
    }

    @Test
    void campaignTotals_afterAFoldOfMixedOpens_countsThemByVerdictAndDay() throws Exception {
        String url = newDatabaseUrl();
        registerT1(url);
        journal(url, "t1", 60, "machine", "link scanner");
        journal(url, "t1", 120, "human", null);
        journal(url, "t1", 86_400 + 60, "proxy", "Apple Mail Privacy Protection");
        // The open of an email erased after it was appended keeps no row and counts nowhere.
        journal(url, "erased", 90, "human", null);

        try (JdbcTrackingStore store = open(url)) {
            CampaignTotals totals =
                    store.campaignTotals(new CampaignId("c1"), ZoneOffset.UTC, 10).orElseThrow();

            assertThat(totals.openCount()).isEqualTo(3);
            assertThat(totals.machineOpens()).isEqualTo(1);
            assertThat(totals.openedCount()).isEqualTo(1);
            assertThat(totals.averageTimeToOpen()).isEqualTo(Duration.ofSeconds(60));
            assertThat(totals.person().openedCount()).isEqualTo(1);
            assertThat(totals.person().averageTimeToOpen()).isEqualTo(Duration.ofSeconds(120));
            assertThat(totals.timeline())
                    .extracting(DailyEngagement::date, DailyEngagement::opens)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(LocalDate.of(2026, 2, 10), 2L),
                            org.assertj.core.groups.Tuple.tuple(LocalDate.of(2026, 2, 11), 1L));
            assertThat(strings(url, "SELECT verdict FROM et_open ORDER BY open_id"))
                    .containsExactly("machine", "human", "proxy");
            assertThat(count(url, "SELECT COUNT(*) FROM et_open_journal")).isZero();
        }
    }

    @Test
    void recordAsync_manyOpensAtOnce_storesThoseOfKnownEmailsAsTheyCame() throws Exception {
        String url = newDatabaseUrl();
        registerT1(url);
        // Values that an array literal or a batch could mistake for something else.
        List<String> agents =
                Arrays.asList(
                        null,
                        "NULL",
                        "",
                        "say \"hi\"",
                        "back\\slash",
                        "{a,b}",
                        "Ünïcødé 😀",
                        "tab\there");
        List<Tuple> sent = new ArrayList<>();

        try (JdbcTrackingStore store = open(url)) {
            List<CompletableFuture<Boolean>> known = new ArrayList<>();
            List<CompletableFuture<Boolean>> unknown = new ArrayList<>();
            for (int i = 0; i < agents.size(); i++) {
                Instant at = SENT.plusSeconds(i);
                String address = i % 2 == 0 ? null : "192.0.2." + i;
                sent.add(Tuple.tuple(at, address, agents.get(i)));
                known.add(async(store, new OpenEvent(id("t1"), at, address, agents.get(i))));
                unknown.add(async(store, new OpenEvent(id("nobody"), at, address, "x")));
            }

            assertThat(known).allSatisfy(stored -> assertThat(stored.get(10, SECONDS)).isTrue());
            assertThat(unknown).allSatisfy(stored -> assertThat(stored.get(10, SECONDS)).isFalse());
            EmailStatus status = store.status(id("t1"), Page.NEWEST).orElseThrow();
            assertThat(status.counters().openCount()).isEqualTo(agents.size());
            assertThat(status.opens())
                    .extracting(OpenEvent::at, OpenEvent::ipAddress, OpenEvent::userAgent)
                    .containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    private static CompletableFuture<Boolean> async(JdbcTrackingStore store, OpenEvent open) {
        return store.recordAsync(open).toCompletableFuture();
    }

    @Test
    void record_openOfAnUnknownEmail_appendsNothing() throws SQLException {
        String url = newDatabaseUrl();
        try (JdbcTrackingStore store = open(url)) {
            boolean stored = store.record(new OpenEvent(id("nobody"), SENT, null, null));

            assertThat(stored).isFalse();
            assertThat(count(url, "SELECT COUNT(*) FROM et_open_journal")).isZero();
        }
    }

    @Test
    void record_manyOpensUnderTheFoldingBound_countsEveryOne() throws Exception {
        String url = newDatabaseUrl();
        try (JdbcTrackingStore store =
                JdbcTrackingStore.builder().jdbcUrl(url).maxUnfoldedOpens(7).build()) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id("t1"), "c1"), Set.of());
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                tasks.add(() -> recordOpens(store, 250));
            }

            runAll(tasks);

            assertThat(store.status(id("t1"), Page.NEWEST).orElseThrow().counters().openCount())
                    .isEqualTo(1000);
            assertThat(count(url, "SELECT COUNT(*) FROM et_open")).isEqualTo(1000);
        }
    }

    private static Void recordOpens(JdbcTrackingStore store, int opens) {
        for (int i = 0; i < opens; i++) {
            assertThat(store.record(new OpenEvent(id("t1"), SENT.plusSeconds(i), null, null)))
                    .isTrue();
        }
        return null;
    }

    /** Registers email t1, of recipient t1@example.com, in campaign c1, and closes the store. */
    void registerT1(String url) {
        try (JdbcTrackingStore store = open(url)) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id("t1"), "c1"), Set.of());
        }
    }

    /** Registers t1, then appends a person's open and a proxy's earlier one to the journal. */
    private void registerT1WithTwoOpensLeftInTheJournal(String url) throws SQLException {
        registerT1(url);
        journal(url, "t1", 60, "human", null);
        journal(url, "t1", 30, "proxy", "Apple Mail Privacy Protection");
    }

    /** Appends an open to the journal, as a store that was killed before folding it left it. */
    static void journal(String url, String trackingId, int second, String verdict, String why)
            throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                PreparedStatement insert =
                        connection.prepareStatement(
                                "INSERT INTO et_open_journal (tracking_id, opened_at, verdict,"
                                        + " reason) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, trackingId);
            insert.setLong(2, SENT.plusSeconds(second).toEpochMilli());
            insert.setString(3, verdict);
            insert.setString(4, why);
            insert.executeUpdate();
        }
    }

    /** Checks, in the tables themselves, that t1 has this many opens folded out of the journal. */
    private static void assertFoldedOpensOfT1(String url, long opens) throws SQLException {
        assertThat(count(url, "SELECT COUNT(*) FROM et_open WHERE tracking_id = 't1'"))
                .isEqualTo(opens);
        assertThat(count(url, "SELECT open_count FROM et_email WHERE tracking_id = 't1'"))
                .isEqualTo(opens);
    }

    /** Waits until the journal is empty; fails when it is not within a generous deadline. */
    private static void awaitEmptyJournal(String url) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (count(url, "SELECT COUNT(*) FROM et_open_journal") > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the writer did not fold the journal on its own");
            }
            Thread.sleep(10);
        }
    }

    /** Opens a store on the database with the defaults. */
    JdbcTrackingStore open(String url) {
        return JdbcTrackingStore.builder().jdbcUrl(url).build();
    }

    @Test
    void reopen_keepsEverythingStored() throws IOException {
        String url = newDatabaseUrl();
        TrackingId id = new TrackingId("t1");
        byte[] content = randomBytes(300_000);
        try (JdbcTrackingStore store = open(url)) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id, "c1"), Set.of("https://e.com/a"));
            store.record(new OpenEvent(id, SENT.plusSeconds(60), "192.0.2.1", "Mail"));
            store.record(new ClickEvent(id, SENT.plusSeconds(90), "https://e.com/a", null, null));
            store.record(new ReplyEvent(id, SENT.plusSeconds(120), "Thanks", 1));
            store.saveAttachment(attachment("a1", id), new ByteArrayInputStream(content));
            store.setting("key", () -> "value");
        }

        try (JdbcTrackingStore store = open(url)) {
            EmailStatus status = store.status(id, Page.NEWEST).orElseThrow();
            CampaignTotals totals =
                    store.campaignTotals(new CampaignId("c1"), ZoneOffset.UTC, 10).orElseThrow();
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            store.copyAttachment(new AttachmentId("a1"), copy);

            assertThat(store.findCampaign(new CampaignId("c1"))).contains(campaign("c1"));
            assertThat(status.counters().openCount()).isEqualTo(1);
            assertThat(status.counters().repliedAt()).isEqualTo(SENT.plusSeconds(120));
            assertThat(status.opens())
                    .containsExactly(new OpenEvent(id, SENT.plusSeconds(60), "192.0.2.1", "Mail"));
            assertThat(store.isLinkRegistered(id, "https://e.com/a")).isTrue();
            assertThat(totals.openedCount()).isEqualTo(1);
            assertThat(totals.repliedCount()).isEqualTo(1);
            assertThat(totals.topLinks()).containsExactly(new LinkClicks("https://e.com/a", 1));
            assertThat(copy.toByteArray()).isEqualTo(content);
            assertThat(store.setting("key", () -> "other")).isEqualTo("value");
        }
    }

    @Test
    void record_manyThreadsOnFewEmails_countEveryOpenExactly() throws Exception {
        int threads = 16;
        int opensPerThread = 500;
        List<TrackingId> ids = List.of(id("t1"), id("t2"), id("t3"));
        try (JdbcTrackingStore store = open(newDatabaseUrl())) {
            store.saveCampaign(campaign("c1"));
            ids.forEach(id -> store.saveEmail(email(id, "c1"), Set.of()));

            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                TrackingId id = ids.get(t % ids.size());
                tasks.add(() -> openAndRead(store, id, opensPerThread));
            }
            runAll(tasks);

            long counted = 0;
            for (TrackingId id : ids) {
                counted += store.status(id, Page.NEWEST).orElseThrow().counters().openCount();
            }
            CampaignTotals totals =
                    store.campaignTotals(new CampaignId("c1"), ZoneOffset.UTC, 10).orElseThrow();
            assertThat(counted).isEqualTo((long) threads * opensPerThread);
            assertThat(totals.openedCount()).isEqualTo(ids.size());
            assertThat(totals.averageTimeToOpen()).isEqualTo(Duration.ZERO);
            assertThat(totals.timeline())
                    .extracting(DailyEngagement::opens)
                    .containsExactly((long) threads * opensPerThread);
        }
    }

    @Test
    void twoStoresOnOneDatabase_writingAtOnce_giveExactTotals() throws Exception {
        String url = newDatabaseUrl();
        onTwoStores(url, (node, id) -> openAndClick(node, id, 300));

        try (JdbcTrackingStore store = open(url)) {
            CampaignTotals totals =
                    store.campaignTotals(new CampaignId("c1"), ZoneOffset.UTC, 10).orElseThrow();
            assertThat(totals.openedCount()).isEqualTo(2);
            assertThat(totals.clickedCount()).isEqualTo(2);
            assertThat(totals.averageTimeToOpen()).isEqualTo(Duration.ofSeconds(1));
            assertThat(totals.topLinks()).containsExactly(new LinkClicks("https://e.com/", 2400));
            assertThat(totals.timeline())
                    .singleElement()
                    .isEqualTo(
                            new DailyEngagement(
                                    SENT.atZone(ZoneOffset.UTC).toLocalDate(), 2400, 2400, 0));
            assertThat(store.status(id("t1"), Page.NEWEST).orElseThrow().counters().openCount())
                    .isEqualTo(1200);
        }
    }

    @Test
    void twoStoresOnOneDatabase_peopleAndMachinesAtOnce_giveExactPersonFigures() throws Exception {
        String url = newDatabaseUrl();
        onTwoStores(url, (node, id) -> scanThenRead(node, id, 100));

        try (JdbcTrackingStore store = open(url)) {
            CampaignTotals totals =
                    store.campaignTotals(new CampaignId("c1"), ZoneOffset.UTC, 10).orElseThrow();
            assertThat(totals.openCount()).isEqualTo(808);
            assertThat(totals.machineOpens()).isEqualTo(800);
            assertThat(totals.clickCount()).isEqualTo(1600);
            assertThat(totals.machineClicks()).isEqualTo(800);
            assertThat(totals.openedCount()).isEqualTo(2);
            assertThat(totals.averageTimeToOpen()).isEqualTo(Duration.ofSeconds(1));
            assertThat(totals.averageTimeToClick()).isEqualTo(Duration.ofSeconds(2));
            assertThat(totals.person())
                    .isEqualTo(
                            new PersonTotals(2, 2, Duration.ofSeconds(5), Duration.ofSeconds(10)));
        }
    }

    @Test
    void record_sameReplyFromTwoStoresAtOnce_isStoredOnce() throws Exception {
        String url = newDatabaseUrl();
        int threads = 8;
        int replies = 20;
        CyclicBarrier together = new CyclicBarrier(threads);
        try (JdbcTrackingStore first = open(url);
                JdbcTrackingStore second = open(url)) {
            first.saveCampaign(campaign("c1"));
            first.saveEmail(email(id("t1"), "c1"), Set.of());

            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                JdbcTrackingStore node = t % 2 == 0 ? first : second;
                tasks.add(() -> replyInStep(node, id("t1"), replies, together));
            }
            runAll(tasks);

            CampaignTotals totals =
                    second.campaignTotals(new CampaignId("c1"), ZoneOffset.UTC, 10).orElseThrow();
            assertThat(count(url, "SELECT COUNT(*) FROM et_reply")).isEqualTo(replies);
            assertThat(totals.repliedCount()).isEqualTo(1);
            assertThat(totals.timeline())
                    .singleElement()
                    .extracting(DailyEngagement::replies)
                    .isEqualTo((long) replies);
        }
    }

    @Test
    void saveEmail_sameMessageIdFromTwoStoresAtOnce_storesOneAndRefusesTheOthersAsInvalid()
            throws Exception {
        String url = newDatabaseUrl();
        int threads = 10;
        CyclicBarrier together = new CyclicBarrier(threads);
        List<Throwable> refusals = new CopyOnWriteArrayList<>();
        try (JdbcTrackingStore first = open(url);
                JdbcTrackingStore second = open(url)) {
            first.saveCampaign(campaign("c1"));

            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                JdbcTrackingStore node = t % 2 == 0 ? first : second;
                int racer = t;
                tasks.add(() -> registerInStep(node, racer, together, refusals));
            }
            runAll(tasks);

            CampaignTotals totals =
                    first.campaignTotals(new CampaignId("c1"), ZoneOffset.UTC, 10).orElseThrow();
            assertThat(refusals)
                    .hasSize(threads - 1)
                    .allSatisfy(
                            e ->
                                    assertThat(e)
                                            .isInstanceOf(InvalidRequestException.class)
                                            .hasMessage(
                                                    "messageId is registered for another email"
                                                            + " already"));
            assertThat(count(url, "SELECT COUNT(*) FROM et_email WHERE message_id = '<race@x>'"))
                    .isEqualTo(1);
            assertThat(count(url, "SELECT COUNT(*) FROM et_email")).isEqualTo(threads + 1);
            assertThat(totals.sentCount()).isEqualTo(threads + 1);
        }
    }

    @Test
    void saveAttachment_sameFileFromTwoStoresAtOnce_isKeptOnce() throws Exception {
        String url = newDatabaseUrl();
        int threads = 6;
        byte[] content = randomBytes(JdbcTrackingStore.CHUNK_BYTES + 10);
        List<AttachmentInfo> stored = new CopyOnWriteArrayList<>();
        try (JdbcTrackingStore first = open(url);
                JdbcTrackingStore second = open(url)) {
            first.saveCampaign(campaign("c1"));
            first.saveEmail(email(id("t1"), "c1"), Set.of());

            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                JdbcTrackingStore node = t % 2 == 0 ? first : second;
                AttachmentInfo info = attachment("a" + t, id("t1"));
                tasks.add(
                        () -> {
                            stored.add(
                                    node.saveAttachment(info, new ByteArrayInputStream(content)));
                            return null;
                        });
            }
            runAll(tasks);

            assertThat(stored).hasSize(threads).containsOnly(stored.get(0));
            assertThat(first.status(id("t1"), Page.NEWEST).orElseThrow().attachments())
                    .containsExactly(stored.get(0));
            assertThat(count(url, "SELECT COUNT(*) FROM et_attachment_chunk")).isEqualTo(2);
        }
    }

    @Test
    void saveAttachment_idOfAnEmptyFileTaken_keepsNoChunkOfTheRefusedUpload() throws Exception {
        String url = newDatabaseUrl();
        try (JdbcTrackingStore store = open(url)) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id("t1"), "c1"), Set.of());
            store.saveEmail(email(id("t2"), "c1"), Set.of());
            store.saveAttachment(attachment("a1", id("t1")), InputStream.nullInputStream());

            byte[] content = randomBytes(2 * JdbcTrackingStore.CHUNK_BYTES);
            assertThatThrownBy(
                            () ->
                                    store.saveAttachment(
                                            attachment("a1", id("t2")),
                                            new ByteArrayInputStream(content)))
                    .hasMessage("an attachment with id a1 exists");

            assertThat(count(url, "SELECT COUNT(*) FROM et_attachment_chunk")).isZero();
        }
    }

    @Test
    void saveAttachment_sameFileAgain_deletesTheNewChunks() throws Exception {
        String url = newDatabaseUrl();
        byte[] content = randomBytes(3 * JdbcTrackingStore.CHUNK_BYTES);
        try (JdbcTrackingStore store = open(url)) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id("t1"), "c1"), Set.of());
            AttachmentInfo first =
                    store.saveAttachment(
                            attachment("a1", id("t1")), new ByteArrayInputStream(content));

            AttachmentInfo again =
                    store.saveAttachment(
                            attachment("a2", id("t1")), new ByteArrayInputStream(content));
            ByteArrayOutputStream copy = new ByteArrayOutputStream();

            assertThat(again).isEqualTo(first);
            assertThat(store.findAttachment(new AttachmentId("a2"))).isEmpty();
            assertThat(store.copyAttachment(first.id(), copy)).isTrue();
            assertThat(copy.toByteArray()).isEqualTo(content);
            assertThat(count(url, "SELECT COUNT(*) FROM et_attachment_chunk")).isEqualTo(3);
        }
    }

    @Test
    void record_textsWithNulCharacters_areStoredWithoutThem() throws Exception {
        try (JdbcTrackingStore store = open(newDatabaseUrl())) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id("t1"), "c1"), Set.of());
            Classification scanner = Classification.machine("link\0scanner");

            boolean opened = store.record(new OpenEvent(id("t1"), SENT, "::1", "Ma\0il"));
            boolean clicked =
                    store.record(
                            new ClickEvent(id("t1"), SENT, "https://e.com/", null, "UA", scanner));
            boolean replied =
                    store.record(new ReplyEvent(id("t1"), SENT, "Ye\0s", 0, "<r\0@mail.test>"));
            boolean bounced =
                    store.record(new BounceEvent(id("t1"), SENT, BounceType.SOFT, "full\0mailbox"));
            AttachmentInfo file =
                    store.saveAttachment(
                            new AttachmentInfo(
                                    new AttachmentId("a1"),
                                    id("t1"),
                                    "cv\0.pdf",
                                    "application/pdf",
                                    0,
                                    SENT),
                            new ByteArrayInputStream(new byte[] {1}));
            EmailStatus status = store.status(id("t1"), Page.NEWEST).orElseThrow();

            assertThat(List.of(opened, clicked, replied, bounced)).containsOnly(true);
            assertThat(status.opens())
                    .containsExactly(new OpenEvent(id("t1"), SENT, "::1", "Mail"));
            assertThat(status.clicks())
                    .extracting(ClickEvent::classification)
                    .containsExactly(Classification.machine("linkscanner"));
            assertThat(file.fileName()).isEqualTo("cv.pdf");
            assertThat(store.findAttachment(new AttachmentId("a1"))).contains(file);
            assertThat(store.record(new ReplyEvent(id("t1"), SENT, "Yes", 0, "<r@mail.test>")))
                    .isTrue();
            assertThat(
                            store.campaignTotals(new CampaignId("c1"), ZoneOffset.UTC, 1)
                                    .orElseThrow()
                                    .timeline())
                    .extracting(DailyEngagement::replies)
                    .containsExactly(1L);
        }
    }

    @Test
    void close_commitsEveryWriteAcceptedBeforeIt() throws Exception {
        String url = newDatabaseUrl();
        TrackingId id = id("t1");
        AtomicLong acknowledged = new AtomicLong();
        CountDownLatch someStored = new CountDownLatch(100);
        JdbcTrackingStore store = open(url);
        store.saveCampaign(campaign("c1"));
        store.saveEmail(email(id, "c1"), Set.of());

        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            writers.add(pool.submit(() -> openUntilClosed(store, id, acknowledged, someStored)));
        }
        someStored.await();
        store.close();
        for (Future<?> writer : writers) {
            writer.get();
        }
        pool.shutdown();

        try (JdbcTrackingStore reopened = open(url)) {
            long stored = reopened.status(id, Page.NEWEST).orElseThrow().counters().openCount();
            assertThat(stored).isEqualTo(acknowledged.get());
        }
    }

    @Test
    void record_afterClose_failsSayingTheStoreIsClosed() {
        JdbcTrackingStore store = open(newDatabaseUrl());
        store.close();

        assertThatThrownBy(() -> store.record(new OpenEvent(id("t1"), SENT, null, null)))
                .isInstanceOf(StoreException.class)
                .hasMessage("could not record the event: the store is closed");
    }

    @Test
    void status_afterClose_failsSayingTheStoreIsClosed() {
        JdbcTrackingStore store = open(newDatabaseUrl());
        store.close();

        assertThatThrownBy(() -> store.status(id("t1"), Page.NEWEST))
                .isInstanceOf(StoreException.class)
                .hasMessage("could not read the email's status: the store is closed");
    }

    @Test
    void build_onADatabaseWithTheHostsOwnTables_addsItsOwnBeside() throws SQLException {
        String url = newDatabaseUrl();
        execute(url, "CREATE TABLE orders (id INTEGER PRIMARY KEY)");

        try (JdbcTrackingStore store = open(url)) {
            store.saveCampaign(campaign("c1"));

            assertThat(store.findCampaign(new CampaignId("c1"))).isPresent();
        }
        assertThat(count(url, "SELECT COUNT(*) FROM orders")).isZero();
    }

    @Test
    void reopen_doesNotApplyTheMigrationsAgain() throws SQLException {
        String url = newDatabaseUrl();
        open(url).close();
        List<String> firstHistory = migrationHistory(url);

        open(url).close();

        // PostgreSQL has a fourth script, which drops a check SQLite has no cheap way to drop.
        List<String> versions =
                url.startsWith("jdbc:postgresql:")
                        ? List.of("1", "2", "3", "4", "5", "6")
                        : List.of("1", "2", "3", "5", "6");
        assertThat(firstHistory)
                .extracting(row -> row.substring(0, row.indexOf(' ')))
                .containsExactlyElementsOf(versions);
        assertThat(migrationHistory(url)).isEqualTo(firstHistory);
    }

    @Test
    void build_onTablesANewerReleaseMigrated_isRefusedNamingBothVersions() throws SQLException {
        String url = newDatabaseUrl();
        open(url).close();
        execute(
                url,
                "INSERT INTO "
                        + Migrations.HISTORY_TABLE
                        + " (installed_rank, version, description, type, script, checksum,"
                        + " installed_by, execution_time, success)"
                        + " VALUES (99, '99', 'later', 'SQL', 'V99__later.sql', 0, 'x', 0, TRUE)");

        assertRefusedAsMigratedByANewerRelease(url, "99");
    }

    @Test
    void build_onTablesBaselinedAtANewerVersion_isRefused() throws SQLException {
        String url = newDatabaseUrl();
        open(url).close();
        execute(
                url,
                "INSERT INTO "
                        + Migrations.HISTORY_TABLE
                        + " (installed_rank, version, description, type, script, installed_by,"
                        + " execution_time, success) VALUES (99, '7', '<< Flyway Baseline >>',"
                        + " 'BASELINE', '<< Flyway Baseline >>', 'x', 0, TRUE)");

        assertRefusedAsMigratedByANewerRelease(url, "7");
    }

    /** Asserts that neither the history table nor the store's first table was made. */
    private static void assertMadeNoTable(String url) {
        assertThatThrownBy(() -> count(url, "SELECT COUNT(*) FROM " + Migrations.HISTORY_TABLE))
                .isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> count(url, "SELECT COUNT(*) FROM et_campaign"))
                .isInstanceOf(SQLException.class);
    }

    private static void assertRefusedAsMigratedByANewerRelease(String url, String version) {
        assertThatThrownBy(() -> JdbcTrackingStore.builder().jdbcUrl(url).build())
                .isInstanceOf(StoreException.class)
                .hasMessage(
                        "the database's email-tracking tables are at version "
                                + version
                                + ", made by a newer release of the library than this one, which"
                                + " knows versions up to 6: start the newer release");
    }

    @Test
    void build_withoutMigrationsOnADatabaseWithoutItsTables_failsNamingTheScripts()
            throws SQLException {
        String url = newDatabaseUrl();
        execute(url, "CREATE TABLE host_table (id INTEGER)");

        assertThatThrownBy(() -> JdbcTrackingStore.builder().jdbcUrl(url).migrate(false).build())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("has no table et_campaign")
                .hasMessageContaining("db/email-tracking/");
    }

    @ParameterizedTest
    @CsvSource({
        "et_email, recipient_fold, et_email_recipient_fold",
        "et_attachment_chunk, tracking_id, et_attachment_chunk_email"
    })
    void build_withoutMigrationsOnADatabaseWithoutALaterColumn_failsNamingItAndTheScripts(
            String table, String column, String index) throws SQLException {
        String url = newDatabaseUrl();
        open(url).close();
        execute(url, "DROP INDEX " + index, "ALTER TABLE " + table + " DROP COLUMN " + column);

        assertThatThrownBy(() -> JdbcTrackingStore.builder().jdbcUrl(url).migrate(false).build())
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith(
                        "the database has no column " + column + " of " + table + ":")
                .hasMessageContaining("db/email-tracking/");
    }

    @Test
    void build_withoutMigrationsOnAMigratedDatabase_opens() {
        String url = newDatabaseUrl();
        open(url).close();

        try (JdbcTrackingStore store =
                JdbcTrackingStore.builder().jdbcUrl(url).migrate(false).build()) {
            store.saveCampaign(campaign("c1"));

            assertThat(store.findCampaign(new CampaignId("c1"))).isPresent();
        }
    }

    @Test
    void build_onATableOfAnotherProgramNamedAsTheHistory_isRefusedKeepingIt() throws SQLException {
        String url = newDatabaseUrl();
        execute(
                url,
                "CREATE TABLE " + Migrations.HISTORY_TABLE + " (note TEXT)",
                "INSERT INTO " + Migrations.HISTORY_TABLE + " VALUES ('theirs')");

        assertThatThrownBy(() -> JdbcTrackingStore.builder().jdbcUrl(url).build())
                .isInstanceOf(StoreException.class)
                .hasMessage(
                        "the database has a table named "
                                + Migrations.HISTORY_TABLE
                                + " that is not the store's history of its scripts (it lacks the"
                                + " history's columns), so another program uses the name: give the"
                                + " store a database of its own (or on PostgreSQL a schema)");
        assertThat(count(url, "SELECT COUNT(*) FROM " + Migrations.HISTORY_TABLE)).isOne();
    }

    @Test
    void build_withMigrationsOnTablesAnotherToolApplied_failsSayingToTurnThemOff()
            throws SQLException {
        String url = newDatabaseUrl();
        open(url).close();
        execute(url, "DROP TABLE " + Migrations.HISTORY_TABLE);

        assertThatThrownBy(() -> JdbcTrackingStore.builder().jdbcUrl(url).build())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("another tool applied the scripts")
                .hasMessageContaining("migrate(false)");
        JdbcTrackingStore.builder().jdbcUrl(url).migrate(false).build().close();
        assertThatThrownBy(() -> count(url, "SELECT COUNT(*) FROM " + Migrations.HISTORY_TABLE))
                .isInstanceOf(SQLException.class);
    }

    @Test
    void build_onADatabaseWhereAnotherProgramHasATableOfTheStoresName_isRefused_changingNothing()
            throws SQLException {
        String url = newDatabaseUrl();
        execute(url, "CREATE TABLE et_email (id INTEGER PRIMARY KEY, note VARCHAR(20))");

        assertThatThrownBy(() -> JdbcTrackingStore.builder().jdbcUrl(url).build())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("a table or other object named as the store's, et_email,")
                .hasMessageEndingWith("give the store a database of its own");
        assertMadeNoTable(url);
    }

    @Test
    void build_onADatabaseWithAnIndexOfTheStoresName_isRefused_makingNoTable() throws SQLException {
        String url = newDatabaseUrl();
        execute(url, "CREATE TABLE other (x INTEGER)", "CREATE INDEX et_link_url ON other (x)");

        assertThatThrownBy(() -> JdbcTrackingStore.builder().jdbcUrl(url).build())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("named as the store's, et_link_url,");
        assertMadeNoTable(url);
    }

    @Test
    void build_withMigrationsOnADatabaseMissingATable_failsNamingIt() throws SQLException {
        String url = newDatabaseUrl();
        open(url).close();
        execute(url, "DROP TABLE et_open_journal");

        assertThatThrownBy(() -> JdbcTrackingStore.builder().jdbcUrl(url).build())
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("the database has no table et_open_journal, though")
                .hasMessageEndingWith("only a backup brings it back");
    }

    @Test
    void campaignTotals_areKeptBesideTheEvents_notComputedFromThem() throws SQLException {
        String url = newDatabaseUrl();
        try (JdbcTrackingStore store = open(url)) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id("t1"), "c1"), Set.of());
            store.record(new OpenEvent(id("t1"), SENT.plusSeconds(60), null, null));
            store.record(
                    new ClickEvent(id("t1"), SENT.plusSeconds(60), "https://e.com/", null, null));
            CampaignTotals before =
                    store.campaignTotals(new CampaignId("c1"), ZoneOffset.UTC, 10).orElseThrow();

            execute(url, "DELETE FROM et_open", "DELETE FROM et_click");

            assertThat(store.campaignTotals(new CampaignId("c1"), ZoneOffset.UTC, 10))
                    .contains(before);
            assertThat(before.openedCount()).isEqualTo(1);
        }
    }

    @Test
    void saveCampaign_duplicateId_failsWithAMessageForPeople() {
        try (JdbcTrackingStore store = open(newDatabaseUrl())) {
            store.saveCampaign(campaign("c1"));

            assertThatThrownBy(() -> store.saveCampaign(campaign("c1")))
                    .isInstanceOf(StoreException.class)
                    .hasMessage("a campaign with id c1 exists")
                    .hasCauseInstanceOf(SQLException.class);
        }
    }

    @Test
    void saveEmail_unknownCampaign_failsNamingIt() {
        try (JdbcTrackingStore store = open(newDatabaseUrl())) {
            assertThatThrownBy(() -> store.saveEmail(email(id("t1"), "nope"), Set.of()))
                    .isInstanceOf(StoreException.class)
                    .hasMessage("no campaign has id nope");
        }
    }

    @Test
    void saveAttachment_unknownEmail_failsAndLeavesNoChunk() throws SQLException {
        String url = newDatabaseUrl();
        try (JdbcTrackingStore store = open(url)) {
            AttachmentInfo info = attachment("a1", id("nope"));

            assertThatThrownBy(
                            () ->
                                    store.saveAttachment(
                                            info, new ByteArrayInputStream(randomBytes(1000))))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessage("no email has tracking id nope");
            assertThat(count(url, "SELECT COUNT(*) FROM et_attachment_chunk")).isZero();
        }
    }

    @Test
    void saveAttachment_readFailsAfterSomeChunks_deletesThem() throws SQLException {
        String url = newDatabaseUrl();
        try (JdbcTrackingStore store = open(url)) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id("t1"), "c1"), Set.of());
            InputStream failing = new FailingInputStream(3 * JdbcTrackingStore.CHUNK_BYTES + 5);

            assertThatThrownBy(() -> store.saveAttachment(attachment("a1", id("t1")), failing))
                    .isInstanceOf(IOException.class);
            assertThat(count(url, "SELECT COUNT(*) FROM et_attachment_chunk")).isZero();
        }
    }

    @Test
    void saveAttachment_largeFile_isStoredInChunksAndCopiedBack() throws Exception {
        String url = newDatabaseUrl();
        long size = 5L * JdbcTrackingStore.CHUNK_BYTES + 123;
        try (JdbcTrackingStore store = open(url)) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id("t1"), "c1"), Set.of());
            DigestInputStream upload = new DigestInputStream(new GeneratedStream(size), sha256());

            AttachmentInfo stored = store.saveAttachment(attachment("a1", id("t1")), upload);
            DigestOutputStream download =
                    new DigestOutputStream(OutputStream.nullOutputStream(), sha256());
            store.copyAttachment(new AttachmentId("a1"), download);

            assertThat(stored.fileSize()).isEqualTo(size);
            assertThat(download.getMessageDigest().digest())
                    .isEqualTo(upload.getMessageDigest().digest());
            assertThat(count(url, "SELECT COUNT(*) FROM et_attachment_chunk")).isEqualTo(6);
            assertThat(count(url, "SELECT MAX(LENGTH(content)) FROM et_attachment_chunk"))
                    .isEqualTo(JdbcTrackingStore.CHUNK_BYTES);
        }
    }

    @Test
    void saveAttachment_chunksSweptByAStartMeanwhile_failsAndStoresNothing() throws Exception {
        String url = newDatabaseUrl();
        Instant now = Instant.parse("2026-03-01T12:00:00Z");
        Clock later = Clock.fixed(now.plus(Duration.ofDays(2)), ZoneOffset.UTC);
        try (JdbcTrackingStore store =
                JdbcTrackingStore.builder()
                        .jdbcUrl(url)
                        .clock(Clock.fixed(now, ZoneOffset.UTC))
                        .build()) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id("t1"), "c1"), Set.of());
            InputStream upload =
                    new StartingAStoreAtTheEnd(
                            JdbcTrackingStore.CHUNK_BYTES,
                            () -> JdbcTrackingStore.builder().jdbcUrl(url).clock(later).build());

            assertThatThrownBy(() -> store.saveAttachment(attachment("a1", id("t1")), upload))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("send it again");
            assertThat(store.findAttachment(new AttachmentId("a1"))).isEmpty();
            assertThat(count(url, "SELECT COUNT(*) FROM et_attachment")).isZero();
            assertThat(count(url, "SELECT COUNT(*) FROM et_attachment_chunk")).isZero();
        }
    }

    @Test
    void builder_badSettings_failAtOnceNamingTheValue() {
        JdbcTrackingStore.Builder builder = JdbcTrackingStore.builder();

        assertThatThrownBy(() -> builder.jdbcUrl("jdbc:mysql://db/x?password=secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:mysql://db/x?password=***")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> builder.jdbcUrl("jdbc:sqlite::memory:"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:sqlite::memory:");
        assertThatThrownBy(() -> builder.maxBatchSize(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxBatchSize must be positive, not 0");
        assertThatThrownBy(() -> builder.writeTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("writeTimeout must be at least 100 ms, not PT-1S");
        assertThatThrownBy(() -> builder.writeTimeout(Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("writeTimeout must be at least 100 ms, not PT0.005S");
        assertThatThrownBy(() -> builder.writeTimeout(Duration.ofDays(365 * 300)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("writeTimeout must be at most PT24H, not PT2628000H");
        assertThatThrownBy(() -> builder.queueTimeout(Duration.ofSeconds(Long.MAX_VALUE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("queueTimeout must be at most PT24H, not ");
        assertThatThrownBy(() -> builder.busyTimeout(Duration.ofDays(25)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("busyTimeout must be at most PT24H, not PT600H");
        assertThatThrownBy(() -> builder.readConnections(Integer.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("readConnections must be at most 1000, not 2147483647");
        assertThatThrownBy(() -> builder.busyTimeout(Duration.ofNanos(500_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("busyTimeout must be at least 1 ms, not PT0.0005S");
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("jdbcUrl or dataSource is required");
    }

    private static Void openAndRead(JdbcTrackingStore store, TrackingId id, int opens) {
        for (int i = 0; i < opens; i++) {
            assertThat(store.record(new OpenEvent(id, SENT, "192.0.2.1", "Mail"))).isTrue();
            if (i % 50 == 0) {
                assertThat(store.status(id, Page.NEWEST)).isPresent();
            }
        }
        return null;
    }

    static Void openAndClick(JdbcTrackingStore store, TrackingId id, int times) {
        for (int i = 0; i < times; i++) {
            store.record(new OpenEvent(id, SENT.plusSeconds(1 + i % 7), null, null));
            store.record(new ClickEvent(id, SENT.plusSeconds(2), "https://e.com/", null, null));
        }
        return null;
    }

    /**
     * Records machine opens and clicks at 1 and 2 seconds and person clicks at 10 to 14 seconds (20
     * first, so that the first moves earlier), then a proxied open at 5 seconds half way through,
     * reading the status now and then.
     */
    private static Void scanThenRead(JdbcTrackingStore store, TrackingId id, int times) {
        Classification machine = Classification.machine("prefetch");
        for (int i = 0; i < times; i++) {
            store.record(new OpenEvent(id, SENT.plusSeconds(1), null, null, machine));
            store.record(
                    new ClickEvent(id, SENT.plusSeconds(2), "https://e.com/", null, null, machine));
            long personAt = i == 0 ? 20 : 10 + i % 5;
            store.record(
                    new ClickEvent(id, SENT.plusSeconds(personAt), "https://e.com/", null, null));
            if (i == times / 2) {
                Classification proxy = Classification.proxy("image-proxy");
                store.record(new OpenEvent(id, SENT.plusSeconds(5), null, null, proxy));
            }
            if (i % 25 == 0) {
                assertThat(store.status(id, Page.NEWEST)).isPresent();
            }
        }
        return null;
    }

    /** Records the same replies as the other threads, each one when all of them are ready. */
    private static Void replyInStep(
            JdbcTrackingStore store, TrackingId id, int replies, CyclicBarrier together)
            throws Exception {
        for (int i = 0; i < replies; i++) {
            together.await();
            ReplyEvent reply =
                    new ReplyEvent(
                            id, SENT.plusSeconds(60 + i), "Yes", 0, "<r" + i + "@mail.test>");
            assertThat(store.record(reply)).isTrue();
        }
        return null;
    }

    /**
     * Registers an email of its own and, when all threads are ready, one with the Message-ID every
     * thread uses; a refusal of either is collected.
     */
    private static Void registerInStep(
            JdbcTrackingStore store, int racer, CyclicBarrier together, List<Throwable> refusals)
            throws Exception {
        TrackedEmail own = email(id("own" + racer), "c1");
        TrackedEmail racing =
                new TrackedEmail(id("racer" + racer), own.campaignId(), "r@x", SENT, "<race@x>");
        together.await();
        saveCollectingRefusal(store, racing, refusals);
        saveCollectingRefusal(store, own, refusals);
        return null;
    }

    private static Void saveCollectingRefusal(
            JdbcTrackingStore store, TrackedEmail email, List<Throwable> refusals) {
        try {
            store.saveEmail(email, Set.of("https://e.com/" + email.trackingId()));
        } catch (RuntimeException e) {
            refusals.add(e);
        }
        return null;
    }

    private static void openUntilClosed(
            JdbcTrackingStore store,
            TrackingId id,
            AtomicLong acknowledged,
            CountDownLatch someStored) {
        while (true) {
            try {
                if (store.record(new OpenEvent(id, SENT, null, null))) {
                    acknowledged.incrementAndGet();
                    someStored.countDown();
                }
            } catch (StoreException e) {
                assertThat(e).hasMessageEndingWith("the store is closed");
                return;
            }
        }
    }

    static Campaign campaign(String id) {
        return new Campaign(new CampaignId(id), "Campaign " + id, "alice", null, SENT);
    }

    static TrackedEmail email(TrackingId id, String campaignId) {
        return new TrackedEmail(
                id,
                new CampaignId(campaignId),
                id + "@example.com",
                SENT,
                "<" + id + "@mail.test>");
    }

    static TrackingId id(String value) {
        return new TrackingId(value);
    }

    static AttachmentInfo attachment(String id, TrackingId trackingId) {
        return new AttachmentInfo(
                new AttachmentId(id), trackingId, "file.bin", "application/pdf", 0, SENT);
    }

    static void runAll(List<Callable<Void>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            for (Future<Void> done : pool.invokeAll(tasks)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static void execute(String url, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    static long count(String url, String query) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Work one thread does on one email through one store. */
    interface StoreWork {
        Void run(JdbcTrackingStore store, TrackingId id) throws Exception;
    }

    /**
     * Opens two stores on the database, registers emails t1 and t2 in campaign c1, and has eight
     * threads at once, alternating between the stores and sharing the emails, do {@code work}.
     */
    void onTwoStores(String url, StoreWork work) throws Exception {
        List<TrackingId> ids = List.of(id("t1"), id("t2"));
        try (JdbcTrackingStore first = open(url);
                JdbcTrackingStore second = open(url)) {
            first.saveCampaign(campaign("c1"));
            ids.forEach(id -> second.saveEmail(email(id, "c1"), Set.of()));

            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                JdbcTrackingStore node = t % 2 == 0 ? first : second;
                TrackingId id = ids.get(t / 2 % ids.size());
                tasks.add(() -> work.run(node, id));
            }
            runAll(tasks);
        }
    }

    static List<String> strings(String url, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(query)) {
            while (row.next()) {
                values.add(row.getString(1));
            }
        }
        return values;
    }

    private static List<String> migrationHistory(String url) throws SQLException {
        return strings(
                url,
                "SELECT version || ' ' || installed_on || ' ' || success FROM "
                        + Migrations.HISTORY_TABLE
                        + " ORDER BY installed_rank");
    }

    static void insertChunk(String url, String attachmentId, Instant createdAt)
            throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                PreparedStatement insert =
                        connection.prepareStatement(
                                "INSERT INTO et_attachment_chunk"
                                        + " (attachment_id, chunk_no, content, created_at)"
                                        + " VALUES (?, 0, ?, ?)")) {
            insert.setString(1, attachmentId);
            insert.setBytes(2, new byte[] {1, 2, 3});
            insert.setLong(3, createdAt.toEpochMilli());
            insert.executeUpdate();
        }
    }

    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static MessageDigest sha256() throws Exception {
        return MessageDigest.getInstance("SHA-256");
    }

    /** Makes up bytes as they are read, so a large upload needs no memory of its own. */
    private static final class GeneratedStream extends InputStream {

        private final Random random = new Random(42);
        private long left;

        GeneratedStream(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(Math.min(length, left), 8192);
            byte[] made = new byte[n];
            random.nextBytes(made);
            System.arraycopy(made, 0, buffer, offset, n);
            left -= n;
            return n;
        }
    }

    /**
     * Delivers some bytes; when they are read to the end, starts another store on the database, as
     * another process would while the upload is going on, and closes it.
     */
    private static final class StartingAStoreAtTheEnd extends InputStream {

        private final GeneratedStream start;
        private final Supplier<JdbcTrackingStore> otherStore;

        StartingAStoreAtTheEnd(long size, Supplier<JdbcTrackingStore> otherStore) {
            this.start = new GeneratedStream(size);
            this.otherStore = otherStore;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            int n = start.read(buffer, offset, length);
            if (n < 0) {
                otherStore.get().close();
            }
            return n;
        }
    }

    /** Delivers some bytes, then fails as a dropped connection would. */
    private static final class FailingInputStream extends InputStream {

        private final GeneratedStream start;

        FailingInputStream(long size) {
            this.start = new GeneratedStream(size);
        }

        @Override
        public int read() throws IOException {
            int b = start.read();
            if (b < 0) {
                throw new IOException("connection reset");
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = start.read(buffer, offset, length);
            if (n < 0) {
                throw new IOException("connection reset");
            }
            return n;
        }
    }
}
