package io.github.emailtracking.storage.jdbc;

import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.SENT;
import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.campaign;
import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.email;
import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.emailtracking.api.AttachmentInfo;
import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.CampaignId;
import io.github.emailtracking.api.CampaignTotals;
import io.github.emailtracking.api.Classification;
import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.DailyEngagement;
import io.github.emailtracking.api.EmailCounters;
import io.github.emailtracking.api.EmailStatus;
import io.github.emailtracking.api.InvalidRequestException;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.PersonTotals;
import io.github.emailtracking.api.ReplyEvent;
import io.github.emailtracking.api.StoreException;
import io.github.emailtracking.api.TrackedEmail;
import io.github.emailtracking.api.TrackingEvent;
import io.github.emailtracking.api.TrackingId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The writer's batches, observed by queueing writes before its thread starts: they then form one
 * batch, with no timing involved. A subclass names the database.
 */
abstract class GroupCommitBehaviour {

    static final Duration PATIENCE = Duration.ofSeconds(30);

    Database database;
    GroupCommitWriter writer;
    long maxEventsPerEmail;

    /** Returns the URL of a new, empty database. */
    abstract String newDatabaseUrl();

    @AfterEach
    void closeWriter() {
        if (writer != null) {
            writer.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void batch_withADuplicateInTheMiddle_failsOnlyThatWrite() {
        openWriter(100, Duration.ofSeconds(1));
        PendingWrite<Void> first = saveCampaign("c1");
        PendingWrite<Void> second = saveCampaign("c2");
        PendingWrite<Void> duplicate = saveCampaign("c1");
        PendingWrite<Void> emailAfter = saveEmail("t1", "c2");
        PendingWrite<Boolean> openAfter = record(new OpenEvent(id("t1"), SENT, null, null));

        writer.start();

        first.await(PATIENCE);
        second.await(PATIENCE);
        emailAfter.await(PATIENCE);
        assertThat(openAfter.await(PATIENCE)).isTrue();
        assertThatThrownBy(() -> duplicate.await(PATIENCE))
                .isInstanceOf(StoreException.class)
                .hasMessage("a campaign with id c1 exists");
        StoreReads reads = foldedReads();
        assertThat(reads.findCampaign(new CampaignId("c2"))).isPresent();
        assertThat(reads.status(id("t1"), Page.NEWEST).orElseThrow().counters().openCount())
                .isEqualTo(1);
    }

    @Test
    void batch_withATakenMessageIdInTheMiddle_refusesOnlyThatEmail() {
        openWriter(100, Duration.ofSeconds(1));
        saveCampaign("c1");
        TrackedEmail taken = email(id("t1"), "c1");
        PendingWrite<Void> first = saveEmail(taken);
        PendingWrite<Void> twin =
                saveEmail(
                        new TrackedEmail(
                                id("t2"), taken.campaignId(), "b@x", SENT, taken.messageId()));
        PendingWrite<Void> after = saveEmail("t3", "c1");
        PendingWrite<Boolean> openAfter = record(new OpenEvent(id("t1"), SENT, null, null));

        writer.start();

        first.await(PATIENCE);
        after.await(PATIENCE);
        assertThat(openAfter.await(PATIENCE)).isTrue();
        assertThatThrownBy(() -> twin.await(PATIENCE))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("messageId is registered for another email already");
        StoreReads reads = foldedReads();
        assertThat(reads.findEmail(id("t2"))).isEmpty();
        assertThat(reads.findEmail(id("t3"))).isPresent();
        assertThat(reads.campaignTotals(new CampaignId("c1"), ZoneOffset.UTC, 1))
                .map(CampaignTotals::sentCount)
                .contains(2L);
    }

    @Test
    void batch_manyEventsOfOneEmail_countLikeOneAtATime() {
        openWriter(1000, Duration.ofSeconds(1));
        saveCampaign("c1");
        saveEmail("t1", "c1");
        List<TrackingEvent> events = shuffledOpensAndClicks(id("t1"), 200);
        List<PendingWrite<Boolean>> recorded = new ArrayList<>();
        events.forEach(event -> recorded.add(record(event)));

        writer.start();

        assertThat(recorded).allMatch(write -> write.await(PATIENCE));
        StoreReads reads = foldedReads();
        EmailCounters counters = reads.status(id("t1"), Page.NEWEST).orElseThrow().counters();
        CampaignTotals totals =
                reads.campaignTotals(new CampaignId("c1"), ZoneOffset.UTC, 1).orElseThrow();
        assertThat(counters.openCount()).isEqualTo(100);
        assertThat(counters.clickCount()).isEqualTo(100);
        assertThat(counters.firstOpenAt()).isEqualTo(SENT.plusSeconds(60));
        assertThat(counters.lastOpenAt()).isEqualTo(SENT.plusSeconds(60 * 100));
        assertThat(counters.firstClickAt()).isEqualTo(SENT.plusSeconds(61));
        assertThat(totals.averageTimeToOpen()).isEqualTo(Duration.ofMinutes(1));
        assertThat(totals.averageTimeToClick()).isEqualTo(Duration.ofSeconds(61));
        assertThat(totals.timeline()).extracting(DailyEngagement::opens).containsExactly(100L);
    }

    @Test
    void batch_repliesClicksAndOpensOfOneEmail_countLikeOneAtATime() {
        openWriter(100, Duration.ofSeconds(1));
        saveCampaign("c1");
        saveEmail("t1", "c1");
        Classification machine = Classification.machine("prefetch");
        List<PendingWrite<Boolean>> recorded =
                List.of(
                        record(click(2, machine)),
                        record(reply(50, "<r1@mail.test>")),
                        record(click(100, Classification.proxy("gateway"))),
                        record(reply(10, "<r1@mail.test>")),
                        record(new OpenEvent(id("t1"), SENT.plusSeconds(5), null, null, machine)),
                        record(new OpenEvent(id("t1"), SENT.plusSeconds(200), null, null)));

        writer.start();

        assertThat(recorded).allMatch(write -> write.await(PATIENCE));
        StoreReads reads = foldedReads();
        EmailCounters counters = reads.status(id("t1"), Page.NEWEST).orElseThrow().counters();
        CampaignTotals totals =
                reads.campaignTotals(new CampaignId("c1"), ZoneOffset.UTC, 1).orElseThrow();
        assertThat(counters)
                .isEqualTo(
                        new EmailCounters(
                                2,
                                2,
                                SENT.plusSeconds(5),
                                SENT.plusSeconds(200),
                                SENT.plusSeconds(2),
                                SENT.plusSeconds(50),
                                null,
                                null,
                                null));
        assertThat(totals.averageTimeToOpen()).isEqualTo(Duration.ofSeconds(5));
        assertThat(totals.averageTimeToClick()).isEqualTo(Duration.ofSeconds(2));
        assertThat(totals.person())
                .isEqualTo(new PersonTotals(1, 1, Duration.ofSeconds(50), Duration.ofSeconds(100)));
        assertThat(totals.machineOpens()).isEqualTo(1);
        assertThat(totals.machineClicks()).isEqualTo(1);
        assertThat(totals.timeline()).extracting(DailyEngagement::replies).containsExactly(1L);
    }

    @Test
    void writeAlone_thatFindsTheDatabaseBusy_failsOnceWithoutTheWritesQueuedAroundIt() {
        openWriter(100, Duration.ofSeconds(1));
        PendingWrite<Void> before = saveCampaign("c1");
        AtomicInteger tries = new AtomicInteger();
        PendingWrite<Void> busy =
                writer.submitAlone(
                        transaction -> {
                            tries.incrementAndGet();
                            throw new SQLTransientConnectionException("no connection in time");
                        },
                        WriteFailure.of("fold the open journal"));
        PendingWrite<Void> after = saveCampaign("c2");

        writer.start();

        before.await(PATIENCE);
        after.await(PATIENCE);
        assertThatThrownBy(() -> busy.await(PATIENCE))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("the database is busy");
        assertThat(tries).hasValue(1);
    }

    @Test
    void batch_fileThenEraseOfItsRecipient_erasesTheFileInTheSameTransaction() {
        openWriter(100, Duration.ofSeconds(1));
        saveCampaign("c1");
        saveEmail("t1", "c1");
        AttachmentInfo file = JdbcStoreBehaviour.attachment("a1", id("t1"));
        PendingWrite<AttachmentInfo> completed =
                writer.submit(
                        transaction -> transaction.completeAttachment(file, 0, Sha256.of("bytes")),
                        WriteFailure.of("store the attachment"),
                        0);
        AtomicInteger erases = new AtomicInteger();
        PendingWrite<Integer> erased = eraseT1sRecipient(erases);

        writer.start();

        assertThat(completed.await(PATIENCE)).isEqualTo(file);
        assertThat(erased.await(PATIENCE)).isEqualTo(1);
        assertThat(erases).as("tries of the erase: the batch was not split").hasValue(1);
        assertThat(database.read("count the files", GroupCommitBehaviour::attachmentRows)).isZero();
    }

    /** Queues an erasure of the recipient of {@code t1}, counting each time it is applied. */
    private PendingWrite<Integer> eraseT1sRecipient(AtomicInteger applied) {
        return writer.submit(
                transaction -> {
                    applied.incrementAndGet();
                    int count = transaction.eraseRecipient("t1@example.com", new ArrayList<>());
                    return () -> count;
                },
                WriteFailure.of("erase the recipient"),
                0);
    }

    private static long attachmentRows(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM et_attachment")) {
            row.next();
            return row.getLong(1);
        }
    }

    @Test
    void batch_clickThenEraseOfItsRecipient_leavesTheLinkOutOfTheTopLinks() {
        openWriter(100, Duration.ofSeconds(1));
        saveCampaign("c1");
        writer.submit(
                transaction -> {
                    transaction.insertEmail(email(id("t1"), "c1"), Set.of("https://e.com/"));
                    return () -> null;
                },
                WriteFailure.of("store the email"),
                0);
        PendingWrite<Boolean> clicked = record(click(2, Classification.HUMAN));
        PendingWrite<Integer> erased = eraseT1sRecipient(new AtomicInteger());

        writer.start();

        assertThat(clicked.await(PATIENCE)).isTrue();
        assertThat(erased.await(PATIENCE)).isEqualTo(1);
        CampaignTotals totals =
                foldedReads()
                        .campaignTotals(new CampaignId("c1"), ZoneOffset.UTC, 10)
                        .orElseThrow();
        assertThat(totals.topLinks()).isEmpty();
        assertThat(totals.clickCount()).isEqualTo(1);
    }

    @Test
    void laterBatch_earlierPersonEvents_moveTheFirstsAndTheirMeans() {
        openWriter(100, Duration.ofSeconds(1));
        saveCampaign("c1");
        saveEmail("t1", "c1");
        saveEmail("t2", "c1");
        PendingWrite<Boolean> firstReply = record(reply(600, null));
        PendingWrite<Boolean> firstClick =
                record(
                        new ClickEvent(
                                id("t2"), SENT.plusSeconds(900), "https://e.com/", null, null));
        writer.start();
        firstReply.await(PATIENCE);
        firstClick.await(PATIENCE);

        record(new OpenEvent(id("t1"), SENT.plusSeconds(60), null, null)).await(PATIENCE);
        record(new ReplyEvent(id("t2"), SENT.plusSeconds(300), null, 0)).await(PATIENCE);
        record(
                        new OpenEvent(
                                id("t1"),
                                SENT.plusSeconds(1),
                                null,
                                null,
                                Classification.machine("prefetch")))
                .await(PATIENCE);

        CampaignTotals totals =
                foldedReads().campaignTotals(new CampaignId("c1"), ZoneOffset.UTC, 1).orElseThrow();
        assertThat(totals.openedCount()).isEqualTo(1);
        assertThat(totals.averageTimeToOpen()).isEqualTo(Duration.ofSeconds(1));
        assertThat(totals.person())
                .isEqualTo(
                        new PersonTotals(2, 1, Duration.ofSeconds(180), Duration.ofSeconds(900)));
    }

    @Test
    void batch_opensPastTheCap_keepRowsOfTheFirstRecordedOnly() {
        openWriter(100, Duration.ofSeconds(1), 3);
        saveCampaign("c1");
        saveEmail("t1", "c1");
        List<PendingWrite<Boolean>> recorded = new ArrayList<>();
        for (long seconds : new long[] {40, 10, 30, 20, 50}) {
            recorded.add(record(new OpenEvent(id("t1"), SENT.plusSeconds(seconds), null, null)));
        }

        writer.start();

        assertThat(recorded).allMatch(write -> write.await(PATIENCE));
        StoreReads reads = foldedReads();
        EmailStatus status = reads.status(id("t1"), Page.NEWEST).orElseThrow();
        assertThat(status.opens())
                .extracting(OpenEvent::at)
                .containsExactly(SENT.plusSeconds(40), SENT.plusSeconds(10), SENT.plusSeconds(30));
        assertThat(status.counters().openCount()).isEqualTo(5);
        assertThat(status.counters().firstOpenAt()).isEqualTo(SENT.plusSeconds(10));
        assertThat(status.counters().lastOpenAt()).isEqualTo(SENT.plusSeconds(50));
    }

    @Test
    void submit_whileTheQueueIsFull_failsAfterTheQueueTimeout() {
        openWriter(2, Duration.ofMillis(10));
        PendingWrite<Void> first = saveCampaign("c1");
        PendingWrite<Void> second = saveCampaign("c2");

        assertThatThrownBy(() -> saveCampaign("c3"))
                .isInstanceOf(StoreException.class)
                .hasMessage(
                        "could not store the campaign: the store is overloaded; try again later");
        writer.start();
        first.await(PATIENCE);
        second.await(PATIENCE);
        assertThat(foldedReads().findCampaign(new CampaignId("c3"))).isEmpty();
    }

    @Test
    void await_writeStillQueuedAtTheTimeout_isWithdrawnAndNeverStored() {
        openWriter(100, Duration.ofSeconds(1));
        PendingWrite<Void> late = saveCampaign("c1");

        assertThatThrownBy(() -> late.await(Duration.ofMillis(1)))
                .isInstanceOf(StoreException.class)
                .hasMessage(
                        "could not store the campaign: the store was too busy to get to it in"
                                + " time; nothing was stored");
        writer.start();
        writer.close();

        assertThat(foldedReads().findCampaign(new CampaignId("c1"))).isEmpty();
    }

    @Test
    void writeLater_isToldOnlyOnceItsBatchIsCommitted() throws Exception {
        openWriter(100, Duration.ofSeconds(1));
        saveCampaign("c1");
        saveEmail("t1", "c1");
        CompletableFuture<Boolean> open = recordLater(new OpenEvent(id("t1"), SENT, null, null));

        assertThat(open).isNotDone();
        writer.start();

        assertThat(open.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(openCountOfT1()).isEqualTo(1);
    }

    @Test
    void writeLater_stillQueuedAtTheWriteTimeout_isWithdrawnAndNeverStored() {
        openWriter(100, Duration.ofSeconds(1), Long.MAX_VALUE, Duration.ofMillis(50));
        saveCampaign("c1");
        saveEmail("t1", "c1");
        CompletableFuture<Boolean> open = recordLater(new OpenEvent(id("t1"), SENT, null, null));

        assertThatThrownBy(() -> open.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                .hasCauseInstanceOf(StoreException.class)
                .hasMessageEndingWith("nothing was stored");
        writer.start();
        writer.close();

        assertThat(openCountOfT1()).isZero();
    }

    @Test
    void writeLater_takenButNotCommittedInTime_failsSayingItMayBeStored() throws Exception {
        openWriter(100, Duration.ofSeconds(1), Long.MAX_VALUE, Duration.ofMillis(50));
        Semaphore release = new Semaphore(0);
        CompletableFuture<Boolean> slow =
                writer.writeLater(
                        transaction -> {
                            release.acquireUninterruptibly();
                            return () -> true;
                        },
                        WriteFailure.of("do a slow write"));
        writer.start();

        try {
            assertThatThrownBy(() -> slow.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                    .hasCauseInstanceOf(StoreException.class)
                    .hasMessageEndingWith("the change may be stored");
        } finally {
            release.release();
        }
    }

    @Test
    void writeLater_afterClose_failsAtOnce() {
        openWriter(100, Duration.ofSeconds(1));
        writer.start();
        writer.close();

        CompletableFuture<Boolean> open = recordLater(new OpenEvent(id("t1"), SENT, null, null));

        assertThat(open).isCompletedExceptionally();
        assertThatThrownBy(open::join)
                .hasCauseInstanceOf(StoreException.class)
                .hasMessageContaining("the store is closed");
    }

    @Test
    void close_commitsTheWritesQueuedBeforeIt() {
        openWriter(1000, Duration.ofSeconds(1));
        saveCampaign("c1");
        saveEmail("t1", "c1");
        List<PendingWrite<Boolean>> opens = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            opens.add(record(new OpenEvent(id("t1"), SENT, null, null)));
        }

        writer.start();
        writer.close();

        assertThat(opens).allMatch(write -> write.await(Duration.ofMillis(1)));
        assertThat(openCountOfT1()).isEqualTo(300);
    }

    @Test
    void close_calledAgainWhileTheFirstCommits_returnsOnlyOnceEveryWriteIsCommitted()
            throws InterruptedException {
        openWriter(1000, Duration.ofSeconds(1));
        saveCampaign("c1");
        saveEmail("t1", "c1");
        Semaphore release = new Semaphore(0);
        writer.submit(
                transaction -> {
                    release.acquireUninterruptibly();
                    return () -> null;
                },
                WriteFailure.of("wait"),
                0);
        List<PendingWrite<Boolean>> opens = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            opens.add(record(new OpenEvent(id("t1"), SENT, null, null)));
        }
        writer.start();
        Thread first = new Thread(writer::close);
        first.start();
        awaitWaiting(first);

        Thread second = new Thread(writer::close);
        second.start();
        second.join(200);
        boolean returnedWhileTheWriterWasHeld = !second.isAlive();
        release.release();
        second.join();
        first.join();

        assertThat(returnedWhileTheWriterWasHeld).isFalse();
        assertThat(opens).allMatch(write -> write.await(Duration.ofMillis(1)));
        assertThat(openCountOfT1()).isEqualTo(300);
    }

    /** Waits until a thread blocks, as the first close does while it waits for the writer. */
    private static void awaitWaiting(Thread thread) throws InterruptedException {
        while (thread.getState() != Thread.State.WAITING) {
            Thread.sleep(1);
        }
    }

    @Test
    void write_fromACallbackOfAnAsynchronousWrite_failsSayingWhy_insteadOfWaitingForItself() {
        openWriter(100, Duration.ofSeconds(1));
        saveCampaign("c1");
        saveEmail("t1", "c1");
        CompletableFuture<Boolean> waiting =
                recordLater(new OpenEvent(id("t1"), SENT, null, null))
                        .thenApply(
                                stored ->
                                        writer.write(
                                                transaction -> () -> true,
                                                WriteFailure.of("write from the callback")));

        writer.start();

        assertThatThrownBy(waiting::join)
                .hasCauseInstanceOf(IllegalStateException.class)
                .cause()
                .hasMessageContaining("from a callback of its own asynchronous write");
        assertThat(openCountOfT1()).isEqualTo(1);
    }

    @Test
    void close_fromACallbackOfAnAsynchronousWrite_commitsAndAnswersTheRest() {
        openWriter(1000, Duration.ofSeconds(1));
        saveCampaign("c1");
        saveEmail("t1", "c1");
        CompletableFuture<Boolean> closing =
                recordLater(new OpenEvent(id("t1"), SENT, null, null))
                        .thenApply(
                                stored -> {
                                    writer.close();
                                    return stored;
                                });
        List<CompletableFuture<Boolean>> later = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            later.add(recordLater(new OpenEvent(id("t1"), SENT, null, null)));
        }

        writer.start();

        assertThat(closing.orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join()).isTrue();
        assertThat(later)
                .allSatisfy(
                        open ->
                                assertThat(open.orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                                        .succeedsWithin(PATIENCE)
                                        .isEqualTo(true));
        assertThat(openCountOfT1()).isEqualTo(51);
    }

    @Test
    void chore_thatConflictsEveryTime_failsAloneAfterTheBatchBeforeIt() {
        openWriter(100, Duration.ofSeconds(1), Long.MAX_VALUE, PATIENCE, new ConflictingChore());
        saveCampaign("c1");
        saveEmail("t1", "c1");
        PendingWrite<Boolean> open = record(new OpenEvent(id("t1"), SENT, null, null));

        writer.start();

        assertThat(open.await(PATIENCE)).isTrue();
        assertThat(openCountOfT1()).isEqualTo(1);
    }

    void openWriter(int queueCapacity, Duration queueTimeout) {
        openWriter(queueCapacity, queueTimeout, Long.MAX_VALUE);
    }

    void openWriter(int queueCapacity, Duration queueTimeout, long maxEventsPerEmail) {
        openWriter(queueCapacity, queueTimeout, maxEventsPerEmail, PATIENCE);
    }

    void openWriter(
            int queueCapacity,
            Duration queueTimeout,
            long maxEventsPerEmail,
            Duration writeTimeout) {
        openWriter(
                queueCapacity,
                queueTimeout,
                maxEventsPerEmail,
                writeTimeout,
                GroupCommitWriter.Upkeep.NONE);
    }

    void openWriter(
            int queueCapacity,
            Duration queueTimeout,
            long maxEventsPerEmail,
            Duration writeTimeout,
            GroupCommitWriter.Upkeep upkeep) {
        database = Database.open(newDatabaseUrl(), 2, Duration.ofSeconds(5), true);
        Migrations.apply(database);
        WriterSettings settings =
                new WriterSettings(queueCapacity, 512, 1 << 20, queueTimeout, writeTimeout);
        writer =
                new GroupCommitWriter(
                        new BatchCommitter(database, maxEventsPerEmail), settings, upkeep);
        this.maxEventsPerEmail = maxEventsPerEmail;
    }

    /**
     * Work of the writer's own, after the first batch of callers' writes, that fails every time as
     * two stores waiting on each other do: a failure that is tried again, never split.
     */
    private static final class ConflictingChore implements GroupCommitWriter.Upkeep {

        private boolean done;

        @Override
        public Duration idleWait() {
            return null;
        }

        @Override
        public PendingWrite<?> next(int batchSize, boolean queueEmpty) {
            if (done || batchSize == 0) {
                return null;
            }
            done = true;
            return new PendingWrite<Void>(
                    transaction -> {
                        // The SQL state PostgreSQL gives, and the code SQLite gives, a conflict.
                        throw new SQLException("the rows are locked", "40001", 5);
                    },
                    WriteFailure.of("do a chore"),
                    0);
        }
    }

    /**
     * Returns the reads of the database once the opens in the journal are folded, in transactions
     * of their own beside the writer, which the test may have closed.
     */
    StoreReads foldedReads() {
        BatchCommitter committer = new BatchCommitter(database, maxEventsPerEmail);
        PendingWrite<OpenJournal.Fold> fold;
        do {
            fold =
                    new PendingWrite<>(
                            JournalFolding.fold(0, Long.MAX_VALUE), WriteFailure.of("fold"), 0);
            committer.commit(List.of(fold));
            fold.tell();
        } while (fold.await(PATIENCE).left());
        return new StoreReads(database);
    }

    PendingWrite<Void> saveCampaign(String id) {
        Campaign campaign = campaign(id);
        return writer.submit(
                transaction -> {
                    transaction.insertCampaign(campaign);
                    return () -> null;
                },
                WriteFailure.of("store the campaign")
                        .ifDuplicate("a campaign with id " + id + " exists"),
                0);
    }

    PendingWrite<Void> saveEmail(String trackingId, String campaignId) {
        return saveEmail(email(id(trackingId), campaignId));
    }

    PendingWrite<Void> saveEmail(TrackedEmail email) {
        return writer.submit(
                transaction -> {
                    EmailInsert inserted = transaction.insertEmail(email, Set.of());
                    return () -> inserted.answer(email);
                },
                WriteFailure.of("store the email"),
                0);
    }

    PendingWrite<Boolean> record(TrackingEvent event) {
        return writer.submit(
                transaction -> {
                    BooleanSupplier stored = transaction.record(event);
                    return stored::getAsBoolean;
                },
                WriteFailure.of("record the event"),
                0);
    }

    /** Returns how many opens email t1 has, as a status read from the database tells. */
    long openCountOfT1() {
        return foldedReads().status(id("t1"), Page.NEWEST).orElseThrow().counters().openCount();
    }

    CompletableFuture<Boolean> recordLater(TrackingEvent event) {
        return writer.writeLater(
                transaction -> {
                    BooleanSupplier stored = transaction.record(event);
                    return stored::getAsBoolean;
                },
                WriteFailure.of("record the event"));
    }

    /** A click on t1, {@code seconds} after it was sent. */
    private static ClickEvent click(long seconds, Classification classification) {
        return new ClickEvent(
                id("t1"), SENT.plusSeconds(seconds), "https://e.com/", null, null, classification);
    }

    /** A reply to t1, {@code seconds} after it was sent. */
    private static ReplyEvent reply(long seconds, String messageId) {
        return new ReplyEvent(id("t1"), SENT.plusSeconds(seconds), "Yes", 0, messageId);
    }

    /** Opens at minutes 1 to n/2 and clicks a second after each, in a shuffled order. */
    private static List<TrackingEvent> shuffledOpensAndClicks(TrackingId id, int count) {
        List<TrackingEvent> events = new ArrayList<>();
        for (int minute = 1; minute <= count / 2; minute++) {
            Instant at = SENT.plusSeconds(60L * minute);
            events.add(new OpenEvent(id, at, null, null));
            events.add(new ClickEvent(id, at.plusSeconds(1), "https://e.com/", null, null));
        }
        Collections.shuffle(events, new Random(7));
        return events;
    }
}
