package io.github.emailtracking.storage.jdbc;

import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.SENT;
import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.emailtracking.api.AttachmentId;
import io.github.emailtracking.api.AttachmentInfo;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.ds.PGSimpleDataSource;

class PostgresGroupCommitTest extends GroupCommitBehaviour {

    @RegisterExtension static final PostgresTestDatabases DATABASES = new PostgresTestDatabases();

    private BatchCommitter committer;

    @Override
    String newDatabaseUrl() {
        return DATABASES.create();
    }

    @Test
    void batch_withAnEventPostgresRefuses_failsOnlyThatEvent() {
        openWriter(100, Duration.ofSeconds(1));
        saveCampaign("c1");
        saveEmail("t1", "c1");
        PendingWrite<Boolean> before = record(new OpenEvent(id("t1"), SENT, null, "Mail"));
        // PostgreSQL text cannot hold a NUL character.
        PendingWrite<Boolean> refused = record(new OpenEvent(id("t1"), SENT, null, "Ma\0il"));
        PendingWrite<Boolean> after = record(new OpenEvent(id("t1"), SENT, null, "Mail"));

        writer.start();

        assertThat(before.await(PATIENCE)).isTrue();
        assertThat(after.await(PATIENCE)).isTrue();
        assertThatThrownBy(() -> refused.await(PATIENCE))
                .isInstanceOf(StoreException.class)
                .hasMessage("could not record the event: the database failed; nothing was stored");
        assertThat(openCountOfT1()).isEqualTo(2);
    }

    /**
     * Two stores whose batches complete the same two files of an email in opposite orders: each
     * batch writes its descriptions in the order of the files' keys, so the second waits for the
     * first, instead of both waiting for each other until PostgreSQL fails one as a deadlock.
     */
    @Test
    void twoStoresBatches_completingTheSameFilesInOppositeOrders_bothCommit() throws Exception {
        String url = newDatabaseUrl();
        try (Database one = Database.open(url, 1, Duration.ofSeconds(5), true);
                Database other = Database.open(url, 1, Duration.ofSeconds(5), true)) {
            Migrations.apply(one);
            saveCampaignAndEmail(one);
            CountDownLatch oneBegun = new CountDownLatch(1);
            CountDownLatch otherBegun = new CountDownLatch(1);
            CountDownLatch none = new CountDownLatch(0);
            List<AttachmentInfo> inKeyOrder = List.of(file("a1", "a.txt"), file("b1", "b.txt"));
            List<AttachmentInfo> inReverse = List.of(file("b2", "b.txt"), file("a2", "a.txt"));
            ExecutorService stores = Executors.newFixedThreadPool(2);
            try {
                Future<List<AttachmentId>> first =
                        stores.submit(
                                () ->
                                        completeInOneBatch(
                                                one, inKeyOrder, none, oneBegun, otherBegun));
                Future<List<AttachmentId>> second =
                        stores.submit(
                                () ->
                                        completeInOneBatch(
                                                other, inReverse, oneBegun, otherBegun, none));

                List<AttachmentId> firstKept = first.get(30, TimeUnit.SECONDS);
                List<AttachmentId> secondKept = second.get(30, TimeUnit.SECONDS);

                assertThat(List.of(secondKept.get(1), secondKept.get(0))).isEqualTo(firstKept);
                assertThat(JdbcStoreBehaviour.count(url, "SELECT COUNT(*) FROM et_attachment"))
                        .isEqualTo(2);
            } finally {
                stores.shutdownNow();
            }
        }
    }

    private static void saveCampaignAndEmail(Database database) throws SQLException {
        try (Connection connection = database.writeConnection();
                WriteTransaction transaction =
                        new WriteTransaction(connection, database.dialect(), Long.MAX_VALUE)) {
            database.beginWrite(connection);
            transaction.insertCampaign(JdbcStoreBehaviour.campaign("c1"));
            transaction.insertEmail(JdbcStoreBehaviour.email(id("t1"), "c1"), Set.of());
            transaction.finish();
            database.dialect().commit(connection);
        }
    }

    /**
     * Completes two empty files in one transaction, waiting for {@code beforeFirst} before the
     * first and for {@code beforeSecond} before the second, and counting down {@code afterFirst}
     * between them; returns the ids of the files kept.
     */
    private static List<AttachmentId> completeInOneBatch(
            Database database,
            List<AttachmentInfo> files,
            CountDownLatch beforeFirst,
            CountDownLatch afterFirst,
            CountDownLatch beforeSecond)
            throws Exception {
        try (Connection connection = database.writeConnection();
                WriteTransaction transaction =
                        new WriteTransaction(connection, database.dialect(), Long.MAX_VALUE)) {
            database.beginWrite(connection);
            List<Supplier<AttachmentInfo>> kept = new ArrayList<>();
            beforeFirst.await();
            kept.add(complete(transaction, files.get(0)));
            afterFirst.countDown();
            beforeSecond.await();
            kept.add(complete(transaction, files.get(1)));
            transaction.finish();
            database.dialect().commit(connection);
            return kept.stream().map(file -> file.get().id()).toList();
        }
    }

    private static Supplier<AttachmentInfo> complete(
            WriteTransaction transaction, AttachmentInfo file) throws SQLException {
        return transaction.completeAttachment(file, 0, Sha256.of("content of " + file.fileName()));
    }

    private static AttachmentInfo file(String id, String name) {
        return new AttachmentInfo(new AttachmentId(id), id("t1"), name, "text/plain", 0, SENT);
    }

    /**
     * Made or rolled back, a commit whose answer was lost is settled by asking the database: a made
     * one succeeds, a rolled-back one is tried again; either way the open is stored once.
     */
    @ParameterizedTest
    @EnumSource(LostCommitAnswers.Loss.class)
    void commitWhoseAnswerIsLost_succeedsAndIsStoredOnce(LostCommitAnswers.Loss loss) {
        LostCommitAnswers faults = openWriterOnConnectionsThatLoseAnswers();
        PendingWrite<Boolean> open = queueOpenOfANewEmail();
        faults.loseTheNextAnswer(loss, 0);

        writer.start();

        assertThat(open.await(PATIENCE)).isTrue();
        assertThat(faults.answersLost()).isEqualTo(1);
        assertThat(openCountOfT1()).isEqualTo(1);
    }

    @Test
    void commitWhoseAnswerIsLost_whileTheDatabaseIsBrieflyUnreachable_isSettledOnceItAnswers() {
        LostCommitAnswers faults = openWriterOnConnectionsThatLoseAnswers();
        PendingWrite<Boolean> open = queueOpenOfANewEmail();
        // More refusals than one read tries connections: the writer asks again after a pause.
        faults.loseTheNextAnswer(LostCommitAnswers.Loss.AFTER_COMMIT, 5);

        writer.start();

        assertThat(open.await(PATIENCE)).isTrue();
        assertThat(openCountOfT1()).isEqualTo(1);
    }

    @Test
    void commitWhoseOutcomeCannotBeLearned_failsSayingItMayBeStored_andIsNotWrittenTwice() {
        LostCommitAnswers faults = openWriterOnConnectionsThatLoseAnswers();
        PendingWrite<Boolean> open = queueOpenOfANewEmail();
        // Refused for longer than the writer keeps asking.
        faults.loseTheNextAnswer(LostCommitAnswers.Loss.AFTER_COMMIT, Integer.MAX_VALUE);

        writer.start();

        assertThatThrownBy(() -> open.await(PATIENCE))
                .isInstanceOfSatisfying(
                        StoreException.class, e -> assertThat(e.changeMayBeStored()).isTrue())
                .hasMessage(
                        "could not record the event: the database did not confirm it; the change"
                                + " may be stored");
        faults.stopRefusing();
        assertThat(openCountOfT1()).isEqualTo(1);
    }

    /**
     * A write still queued at its deadline while the writer's batch cannot reach the database says
     * so, not that the store was busy: during an outage that is what the log of dropped events
     * should tell an operator.
     */
    @Test
    void writeWithdrawnWhileTheDatabaseCannotBeReached_saysSo_untilItAnswersAgain() {
        SlowRefusals refusals = openWriterOnConnectionsRefusedSlowly(Duration.ofSeconds(1));
        writer.start();
        saveCampaign("c1").await(PATIENCE);
        saveEmail("t1", "c1").await(PATIENCE);

        refusals.start();
        PendingWrite<Boolean> taken = record(new OpenEvent(id("t1"), SENT, null, "Mail"));
        awaitTaken();
        PendingWrite<Boolean> queued = record(new OpenEvent(id("t1"), SENT, null, "Mail"));

        // The writer's first try fails after a second, and its third after three.
        assertThatThrownBy(() -> queued.await(Duration.ofSeconds(2)))
                .isInstanceOf(StoreException.class)
                .hasMessage(
                        "could not record the event: the database cannot be reached; nothing was"
                                + " stored");
        assertThatThrownBy(() -> taken.await(PATIENCE))
                .isInstanceOf(StoreException.class)
                .hasMessage(
                        "could not record the event: the database cannot be reached; nothing was"
                                + " stored");
        refusals.stop();
        assertThat(record(new OpenEvent(id("t1"), SENT, null, "Mail")).await(PATIENCE)).isTrue();
        assertThat(committer.databaseUnreachable()).isFalse();
        assertThat(openCountOfT1()).isEqualTo(1);
    }

    private void awaitTaken() {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (writer.queued() > 0) {
            assertThat(System.nanoTime() - deadline).as("the writer took the write").isNegative();
            Thread.onSpinWait();
        }
    }

    private SlowRefusals openWriterOnConnectionsRefusedSlowly(Duration delay) {
        PGSimpleDataSource server = new PGSimpleDataSource();
        server.setUrl(newDatabaseUrl());
        SlowRefusals refusals = new SlowRefusals(server, delay);
        openWriterOn(refusals.dataSource());
        return refusals;
    }

    /** Queues a campaign, an email and an open of it, which the writer takes as one batch. */
    private PendingWrite<Boolean> queueOpenOfANewEmail() {
        saveCampaign("c1");
        saveEmail("t1", "c1");
        return record(new OpenEvent(id("t1"), SENT, null, "Mail"));
    }

    private LostCommitAnswers openWriterOnConnectionsThatLoseAnswers() {
        PGSimpleDataSource server = new PGSimpleDataSource();
        server.setUrl(newDatabaseUrl());
        LostCommitAnswers faults = new LostCommitAnswers(server);
        openWriterOn(faults.dataSource());
        return faults;
    }

    private void openWriterOn(DataSource connections) {
        database = Database.wrap(connections, Duration.ofSeconds(5));
        Migrations.apply(database);
        WriterSettings settings =
                new WriterSettings(100, 512, 1 << 20, Duration.ofSeconds(1), PATIENCE);
        committer = new BatchCommitter(database, Long.MAX_VALUE);
        writer = new GroupCommitWriter(committer, settings, GroupCommitWriter.Upkeep.NONE);
        maxEventsPerEmail = Long.MAX_VALUE;
    }

    /**
     * Connections to a real PostgreSQL database which, once started, are refused after a delay, as
     * a pool refuses them after its timeout while the server is down.
     */
    static final class SlowRefusals {

        private final DataSource server;
        private final Duration delay;
        private final AtomicBoolean refusing = new AtomicBoolean();

        SlowRefusals(DataSource server, Duration delay) {
            this.server = server;
            this.delay = delay;
        }

        void start() {
            refusing.set(true);
        }

        void stop() {
            refusing.set(false);
        }

        DataSource dataSource() {
            return Proxies.proxy(
                    DataSource.class,
                    (proxy, method, args) -> {
                        if (method.getName().equals("getConnection") && refusing.get()) {
                            Thread.sleep(delay.toMillis());
                            throw new SQLException("the connection was refused", "08001");
                        }
                        return Proxies.invoke(method, server, args);
                    });
        }
    }

    /**
     * Connections to a real PostgreSQL database, one of whose commits loses its answer as a broken
     * connection would, with the transaction made or rolled back before the break; the connections
     * asked for next may be refused, as while the server restarts.
     */
    static final class LostCommitAnswers {

        enum Loss {
            AFTER_COMMIT,
            BEFORE_COMMIT
        }

        private final DataSource server;
        private final AtomicReference<Loss> next = new AtomicReference<>();
        private final AtomicInteger refusalsAfterLoss = new AtomicInteger();
        private final AtomicInteger refusalsLeft = new AtomicInteger();
        private final AtomicInteger answersLost = new AtomicInteger();

        LostCommitAnswers(DataSource server) {
            this.server = server;
        }

        /** Loses the answer of the next commit, then refuses {@code refusals} connections. */
        void loseTheNextAnswer(Loss loss, int refusals) {
            refusalsAfterLoss.set(refusals);
            next.set(loss);
        }

        int answersLost() {
            return answersLost.get();
        }

        void stopRefusing() {
            refusalsLeft.set(0);
        }

        DataSource dataSource() {
            return Proxies.proxy(
                    DataSource.class,
                    (proxy, method, args) -> {
                        if (method.getName().equals("getConnection")) {
                            if (refusalsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                                throw new SQLException("the connection was refused", "08001");
                            }
                            return connection((Connection) Proxies.invoke(method, server, args));
                        }
                        return Proxies.invoke(method, server, args);
                    });
        }

        private Connection connection(Connection real) {
            return Proxies.proxy(
                    Connection.class,
                    (proxy, method, args) -> {
                        Loss loss = method.getName().equals("commit") ? next.getAndSet(null) : null;
                        if (loss == null) {
                            return Proxies.invoke(method, real, args);
                        }
                        if (loss == Loss.AFTER_COMMIT) {
                            real.commit();
                        } else {
                            real.rollback();
                        }
                        answersLost.incrementAndGet();
                        refusalsLeft.set(refusalsAfterLoss.get());
                        throw new SQLException(
                                "An I/O error occurred while sending to the backend.", "08006");
                    });
        }
    }
}
