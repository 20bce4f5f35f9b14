package io.github.emailtracking.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.emailtracking.api.CampaignId;
import io.github.emailtracking.api.EmailCounters;
import io.github.emailtracking.api.EmailStatus;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.StoreException;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.ds.PGSimpleDataSource;

class PostgresStoreBehaviourTest extends JdbcStoreBehaviour {

    @RegisterExtension static final PostgresTestDatabases DATABASES = new PostgresTestDatabases();

    /** The history table as Flyway makes it on PostgreSQL, empty until a script is recorded. */
    private static final String FLYWAY_HISTORY_TABLE =
            "CREATE TABLE "
                    + Migrations.HISTORY_TABLE
                    + " (installed_rank INT NOT NULL PRIMARY KEY, version VARCHAR(50),"
                    + " description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL,"
                    + " script VARCHAR(1000) NOT NULL, checksum INTEGER,"
                    + " installed_by VARCHAR(100) NOT NULL,"
                    + " installed_on TIMESTAMP NOT NULL DEFAULT now(),"
                    + " execution_time INTEGER NOT NULL, success BOOLEAN NOT NULL)";

    @Override
    String newDatabaseUrl() {
        return DATABASES.create();
    }

    @Test
    void build_afterAnEmptySchemaEarlierInTheSearchPathWasMade_isRefused_makingNothing()
            throws SQLException {
        String url = newDatabaseUrl();
        open(url).close();
        execute(url, "CREATE SCHEMA postgres");

        assertThatThrownBy(() -> JdbcTrackingStore.builder().jdbcUrl(url).build())
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("the store's tables are in a schema further along");
        assertThat(
                        count(
                                url,
                                "SELECT COUNT(*) FROM pg_class WHERE relnamespace ="
                                        + " 'postgres'::regnamespace"))
                .isZero();
    }

    @Test
    void status_whileAnotherTransactionLocksTheEmails_failsInsteadOfWaitingForTheLock()
            throws Exception {
        String url = newDatabaseUrl();
        try (JdbcTrackingStore store = openWaitingASecondForLocks(url)) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id("t1"), "c1"), Set.of());

            ScheduledExecutorService releaser = Executors.newSingleThreadScheduledExecutor();
            try (Connection locker = lockTable(url, "et_email")) {
                // A store that waited for the lock would get it at last, and read.
                releaseLater(releaser, locker, 20);

                assertThatThrownBy(() -> store.status(id("t1"), Page.NEWEST))
                        .isInstanceOf(StoreException.class)
                        .hasMessageContaining("the database is busy");
                assertThatThrownBy(() -> store.findEmail(id("t1")))
                        .isInstanceOf(StoreException.class)
                        .hasMessageContaining("the database is busy");
            } finally {
                releaser.shutdownNow();
            }

            assertThat(store.status(id("t1"), Page.NEWEST)).isPresent();
        }
    }

    @Test
    void opens_whileAnotherTransactionLocksTheOpenRows_areStoredAndFoldedOnceItEnds()
            throws Exception {
        String url = newDatabaseUrl();
        int opens = 4;
        try (JdbcTrackingStore store = open(url)) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id("t1"), "c1"), Set.of());

            try (Connection locker = lockTable(url, "et_open")) {
                // Each open leaves the writer idle with the journal unfolded, so it tries to fold,
                // which needs the locked table; the next open must not wait for that lock.
                for (int i = 0; i < opens; i++) {
                    assertThat(store.record(new OpenEvent(id("t1"), SENT, null, null))).isTrue();
                }
                assertThat(count(url, "SELECT COUNT(*) FROM et_open_journal")).isEqualTo(opens);
            }

            EmailCounters counters = store.status(id("t1"), Page.NEWEST).orElseThrow().counters();
            assertThat(counters.openCount()).isEqualTo(opens);
            assertThat(count(url, "SELECT COUNT(*) FROM et_open")).isEqualTo(opens);
        }
    }

    @Test
    void statusReads_whileTheOpenRowsAreLocked_failThemselvesAndNoWriteBesideThem()
            throws Exception {
        String url = newDatabaseUrl();
        try (JdbcTrackingStore store = open(url)) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id("t1"), "c1"), Set.of());
            store.record(new OpenEvent(id("t1"), SENT, null, null));
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger failedReads = new AtomicInteger();
            ExecutorService readers = Executors.newFixedThreadPool(2);
            List<Future<?>> reading = new ArrayList<>();

            try (Connection locker = lockTable(url, "et_open")) {
                // Each read folds the journal first, which needs the locked table.
                for (int r = 0; r < 2; r++) {
                    reading.add(readers.submit(() -> readWhile(store, writing, failedReads)));
                }
                for (int i = 0; i < 5; i++) {
                    store.saveCampaign(campaign("w" + i));
                    assertThat(store.record(new OpenEvent(id("t1"), SENT, null, null))).isTrue();
                }
                // A read gives up only after several folds have each waited for the lock.
                awaitAFailedRead(failedReads, reading);
            } finally {
                writing.set(false);
                readers.shutdown();
                assertThat(readers.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
            }

            for (Future<?> reader : reading) {
                reader.get();
            }
            assertThat(store.status(id("t1"), Page.NEWEST).orElseThrow().counters().openCount())
                    .isEqualTo(6);
        }
    }

    /** Waits until a read failed as it should; fails at once should a reader end otherwise. */
    private static void awaitAFailedRead(AtomicInteger failedReads, List<Future<?>> reading)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (failedReads.get() == 0) {
            for (Future<?> reader : reading) {
                if (reader.isDone()) {
                    reader.get();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no read failed while the open rows were locked");
            }
            Thread.sleep(10);
        }
    }

    private static void readWhile(
            JdbcTrackingStore store, AtomicBoolean writing, AtomicInteger failedReads) {
        while (writing.get()) {
            try {
                store.status(id("t1"), Page.NEWEST);
            } catch (StoreException e) {
                assertThat(e).hasMessageContaining("the database is busy");
                failedReads.incrementAndGet();
            }
        }
    }

    @Test
    void build_whileAnotherTransactionLocksATableForAWhile_opensOnceTheLockIsGone()
            throws Exception {
        String url = newDatabaseUrl();
        open(url).close();
        ScheduledExecutorService releaser = Executors.newSingleThreadScheduledExecutor();

        try (Connection locker = lockTable(url, "et_open")) {
            releaseLater(releaser, locker, 3);

            try (JdbcTrackingStore store = openWaitingASecondForLocks(url)) {
                store.saveCampaign(campaign("c1"));
                assertThat(store.findCampaign(new CampaignId("c1"))).isPresent();
            }
        } finally {
            releaser.shutdownNow();
        }
    }

    private static JdbcTrackingStore openWaitingASecondForLocks(String url) {
        return JdbcTrackingStore.builder().jdbcUrl(url).busyTimeout(Duration.ofSeconds(1)).build();
    }

    /** Has {@code releaser} end the locking transaction after {@code seconds}. */
    private static void releaseLater(
            ScheduledExecutorService releaser, Connection locker, long seconds) {
        releaser.schedule(
                () -> {
                    locker.rollback();
                    return null;
                },
                seconds,
                TimeUnit.SECONDS);
    }

    /** Returns a data source of the host's own, as an application's pool would be, on the URL. */
    private static PGSimpleDataSource hostDataSource(String url) {
        PGSimpleDataSource host = new PGSimpleDataSource();
        host.setURL(url);
        return host;
    }

    /** Returns a connection whose open transaction holds an exclusive lock on the table. */
    private static Connection lockTable(String url, String table) throws SQLException {
        Connection locker = DriverManager.getConnection(url);
        locker.setAutoCommit(false);
        try (Statement statement = locker.createStatement()) {
            statement.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
        }
        return locker;
    }

    @Test
    void findEmail_onAHostDataSource_whileItsTableIsLocked_failsOnceTheBusyTimeoutIsOver()
            throws Exception {
        String url = newDatabaseUrl();
        PGSimpleDataSource host = hostDataSource(url);
        ScheduledExecutorService releaser = Executors.newSingleThreadScheduledExecutor();

        try (JdbcTrackingStore store =
                JdbcTrackingStore.builder()
                        .dataSource(host)
                        .busyTimeout(Duration.ofSeconds(1))
                        .build()) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id("t1"), "c1"), Set.of());
            try (Connection locker = lockTable(url, "et_email")) {
                // Should the read wait for the lock, it ends after this and finds the email.
                releaseLater(releaser, locker, 30);

                assertThatThrownBy(() -> store.findEmail(id("t1")))
                        .isInstanceOf(StoreException.class)
                        .hasMessageContaining("the database is busy");
            }
            assertThat(store.findEmail(id("t1"))).isPresent();
        } finally {
            releaser.shutdownNow();
        }
    }

    @Test
    void build_withAHostDataSource_detectsPostgres() {
        PGSimpleDataSource host = hostDataSource(newDatabaseUrl());

        try (JdbcTrackingStore store = JdbcTrackingStore.builder().dataSource(host).build()) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id("t1"), "c1"), Set.of());

            assertThat(store.findEmail(id("t1"))).isPresent();
        }
    }

    /**
     * Another store makes its history table in the moment between this one's Flyway finding none
     * and its looking for other tables, as when nodes start at once on a new database: this one's
     * Flyway then takes the schema for one to baseline, and fails on the other's empty table.
     */
    @Test
    void build_whileAnotherStoreBeginsMigratingTheNewDatabase_triesAgainAndStarts()
            throws SQLException {
        String url = newDatabaseUrl();
        PGSimpleDataSource host = hostDataSource(url);
        AtomicBoolean raced = new AtomicBoolean();
        DataSource racing =
                Proxies.proxy(
                        DataSource.class,
                        (proxy, method, args) -> {
                            Object result = Proxies.invoke(method, host, args);
                            return result instanceof Connection connection
                                    ? racingWhenAskedForOtherTables(connection, url, raced)
                                    : result;
                        });

        try (JdbcTrackingStore store = JdbcTrackingStore.builder().dataSource(racing).build()) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id("t1"), "c1"), Set.of());

            assertThat(raced).isTrue();
            assertThat(store.findEmail(id("t1"))).isPresent();
        }
        assertThat(
                        count(
                                url,
                                "SELECT COUNT(*) FROM "
                                        + Migrations.HISTORY_TABLE
                                        + " WHERE success"))
                .isEqualTo(storeScripts());
    }

    /**
     * Returns the connection, which makes the history table, empty, as another store's Flyway makes
     * it before applying the first script, when Flyway's migration first prepares its question
     * whether the schema holds any object.
     */
    private static Connection racingWhenAskedForOtherTables(
            Connection connection, String url, AtomicBoolean raced) {
        return Proxies.proxy(
                Connection.class,
                (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement")
                            && args[0] instanceof String sql
                            && sql.contains("SELECT c.oid FROM pg_catalog.pg_class c")
                            && isFlywayMigrating()
                            && raced.compareAndSet(false, true)) {
                        execute(url, FLYWAY_HISTORY_TABLE);
                    }
                    return Proxies.invoke(method, connection, args);
                });
    }

    /** Returns whether this thread is in Flyway's migrate, rather than its info, say. */
    private static boolean isFlywayMigrating() {
        return StackWalker.getInstance()
                .walk(
                        frames ->
                                frames.anyMatch(
                                        frame ->
                                                frame.getClassName().equals(Flyway.class.getName())
                                                        && frame.getMethodName()
                                                                .equals("migrate")));
    }

    @Test
    void build_whenTheServerRefusesTheMigrationAConnection_saysTheDatabaseCannotBeReached() {
        PGSimpleDataSource host = hostDataSource(newDatabaseUrl());
        DataSource full =
                Proxies.proxy(
                        DataSource.class,
                        (proxy, method, args) -> {
                            if (method.getName().equals("getConnection") && isFlywayMigrating()) {
                                throw new SQLException(
                                        "FATAL: sorry, too many clients already", "53300");
                            }
                            return Proxies.invoke(method, host, args);
                        });

        assertThatThrownBy(() -> JdbcTrackingStore.builder().dataSource(full).build())
                .isInstanceOf(StoreException.class)
                .hasMessage(
                        "could not bring the database's email-tracking tables up to date: the"
                                + " database cannot be reached: FATAL: sorry, too many clients"
                                + " already");
    }

    /** Returns how many scripts the store applies to a new PostgreSQL database. */
    private long storeScripts() throws SQLException {
        String url = newDatabaseUrl();
        open(url).close();
        return count(url, "SELECT COUNT(*) FROM " + Migrations.HISTORY_TABLE + " WHERE success");
    }

    @Test
    void twoStoresOnADatabaseThatDefaultsToSerializable_giveExactTotals() throws Exception {
        String url = newDatabaseUrl();
        setDatabaseDefault(url, "default_transaction_isolation", "serializable");

        onTwoStores(url, (node, id) -> openAndClick(node, id, 300));

        try (JdbcTrackingStore store = open(url)) {
            for (String id : List.of("t1", "t2")) {
                EmailCounters counters = store.status(id(id), Page.NEWEST).orElseThrow().counters();
                assertThat(counters.openCount()).isEqualTo(1200);
                assertThat(counters.clickCount()).isEqualTo(1200);
            }
        }
    }

    @Test
    void twoStoresOnAHostPoolThatDefaultsToSerializable_giveExactTotals() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(newDatabaseUrl());
        config.setTransactionIsolation("TRANSACTION_SERIALIZABLE");
        config.setMaximumPoolSize(8);

        try (HikariDataSource host = new HikariDataSource(config);
                JdbcTrackingStore first = JdbcTrackingStore.builder().dataSource(host).build();
                JdbcTrackingStore second = JdbcTrackingStore.builder().dataSource(host).build()) {
            first.saveCampaign(campaign("c1"));
            first.saveEmail(email(id("t1"), "c1"), Set.of());
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                JdbcTrackingStore node = t % 2 == 0 ? first : second;
                tasks.add(() -> openAndClick(node, id("t1"), 100));
            }
            runAll(tasks);

            EmailCounters counters = second.status(id("t1"), Page.NEWEST).orElseThrow().counters();
            assertThat(counters.openCount()).isEqualTo(800);
            assertThat(counters.clickCount()).isEqualTo(800);
        }
    }

    @Test
    void storeOnADatabaseThatDefaultsToReadOnly_migratesAndWritesAll() throws Exception {
        String url = newDatabaseUrl();
        setDatabaseDefault(url, "default_transaction_read_only", "on");
        PGSimpleDataSource host = new PGSimpleDataSource();
        host.setURL(url);

        for (JdbcTrackingStore store :
                List.of(open(url), JdbcTrackingStore.builder().dataSource(host).build())) {
            try (store) {
                String campaign = "c" + System.identityHashCode(store);
                store.saveCampaign(campaign(campaign));
                store.saveEmail(email(id(campaign + "t"), campaign), Set.of());
                store.record(new OpenEvent(id(campaign + "t"), SENT, null, null));

                assertThat(store.status(id(campaign + "t"), Page.NEWEST))
                        .hasValueSatisfying(
                                status -> assertThat(status.counters().openCount()).isEqualTo(1));
            }
        }
    }

    @Test
    void statementCancelledByATimeout_isSaidSo() throws SQLException {
        try (Connection connection = DriverManager.getConnection(newDatabaseUrl());
                Statement statement = connection.createStatement()) {
            statement.execute("SET statement_timeout = 1");
            SQLException cancelled =
                    catchThrowableOfType(
                            () -> statement.execute("SELECT pg_sleep(1)"), SQLException.class);

            assertThat(Dialect.POSTGRESQL.classify(cancelled)).isEqualTo(FailureKind.CANCELLED);
            assertThat(FailureKind.CANCELLED.reason()).contains("statement_timeout");
        }
    }

    @Test
    void build_withASearchPathOfNoSchemaThatExists_failsCreatingNothing() throws SQLException {
        String url = newDatabaseUrl();
        setDatabaseDefault(url, "search_path", "nosuch");

        assertThatThrownBy(() -> JdbcTrackingStore.builder().jdbcUrl(url).build())
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("the role's search_path names no schema that exists");
        assertThat(
                        strings(
                                url,
                                "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%'"
                                        + " AND nspname <> 'information_schema'"))
                .containsExactly("public");
    }

    @Test
    void build_onAHostPoolOfOneConnection_failsSayingItNeedsTwo() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(newDatabaseUrl());
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(500);

        try (HikariDataSource host = new HikariDataSource(config)) {
            assertThatThrownBy(() -> JdbcTrackingStore.builder().dataSource(host).build())
                    .isInstanceOf(StoreException.class)
                    .hasMessageEndingWith("so a pool needs at least two");
        }
    }

    @Test
    void failedStatement_onTheStoresConnections_doesNotQuoteItsValues() throws SQLException {
        String url = newDatabaseUrl();
        open(url).close();
        Database database = Database.open(url, 1, Duration.ofSeconds(5), true);

        try (Connection connection = database.writeConnection();
                PreparedStatement insert =
                        connection.prepareStatement(
                                "INSERT INTO et_open_journal (tracking_id, opened_at, verdict)"
                                        + " VALUES (?, ?, ?)")) {
            insert.setString(1, "a-tracking-id-to-keep-out-of-logs");
            insert.setLong(2, 1);
            insert.setString(3, null);
            insert.addBatch();

            assertThatThrownBy(insert::executeBatch)
                    .isInstanceOf(BatchUpdateException.class)
                    .satisfies(
                            failure -> {
                                for (Throwable t = failure; t != null; t = t.getCause()) {
                                    assertThat(String.valueOf(t.getMessage()))
                                            .doesNotContain("a-tracking-id-to-keep-out-of-logs");
                                }
                                SQLException next = ((SQLException) failure).getNextException();
                                assertThat(String.valueOf(next.getMessage()))
                                        .doesNotContain("a-tracking-id-to-keep-out-of-logs");
                            });
        } finally {
            database.close();
        }
    }

    @Test
    void read_afterItsConnectionWasEnded_triesAgainOnANewOne() throws SQLException {
        String url = newDatabaseUrl();
        try (JdbcTrackingStore store = open(url)) {
            store.saveCampaign(campaign("c1"));
            assertThat(store.findCampaign(new CampaignId("c1"))).isPresent();

            execute(
                    url,
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                            + " WHERE datname = current_database() AND pid <> pg_backend_pid()");

            assertThat(store.findCampaign(new CampaignId("c1"))).isPresent();
        }
    }

    @Test
    void read_whileTheDatabaseRefusesNewConnections_saysItCannotBeReached() throws SQLException {
        String url = newDatabaseUrl();
        String server = System.getProperty(PostgresTestDatabases.URL_PROPERTY);
        String name = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
        try (JdbcTrackingStore store = open(url)) {
            store.saveCampaign(campaign("c1"));
            execute(
                    server,
                    "ALTER DATABASE " + name + " ALLOW_CONNECTIONS false",
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                            + name
                            + "'");
            try {
                assertThatThrownBy(() -> store.findCampaign(new CampaignId("c1")))
                        .isInstanceOf(StoreException.class)
                        .hasMessageContaining("the database cannot be reached");
            } finally {
                execute(server, "ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
            }
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "jdbc:postgresql://127.0.0.1:5432/no_such_database_here?user=postgres"
                        + " | the server has no database of that name; create it first",
                "jdbc:postgresql://127.0.0.1:5432/test?user=no_such_role_here"
                        + " | the server refused the user name or password",
                "jdbc:postgresql://127.0.0.1:1/nothing?user=postgres&connectTimeout=2"
                        + " | the database cannot be reached"
            })
    void build_databaseThatCannotBeOpened_failsSayingWhy(String url, String why) {
        assertThatThrownBy(() -> open(url))
                .isInstanceOf(StoreException.class)
                .hasMessage("could not open the database: " + why);
    }

    @Test
    void build_asARoleThatMayNotCreateTemporaryTables_failsSayingSo() throws SQLException {
        String url = newDatabaseUrl();
        open(url).close();
        String role = "et_test_role_" + UUID.randomUUID().toString().replace("-", "");
        String database = url.replaceAll("^jdbc:postgresql://[^/]+/([^?]*).*$", "$1");
        execute(
                url,
                "REVOKE TEMPORARY ON DATABASE " + database + " FROM PUBLIC",
                "CREATE ROLE " + role + " LOGIN",
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role);
        try {
            PGSimpleDataSource asRole = new PGSimpleDataSource();
            asRole.setURL(url);
            asRole.setUser(role);

            assertThatThrownBy(
                            () ->
                                    JdbcTrackingStore.builder()
                                            .dataSource(asRole)
                                            .migrate(false)
                                            .build())
                    .isInstanceOf(StoreException.class)
                    .hasMessage(
                            "the database role may not create temporary tables, which folding the"
                                    + " open journal needs: grant it TEMPORARY on the database");
        } finally {
            execute(url, "DROP OWNED BY " + role, "DROP ROLE " + role);
        }
    }

    @Test
    void fold_meetingAnEraseThatLockedTheEmail_takesNoOpenBeforeTheEraseEnds() throws Exception {
        String url = newDatabaseUrl();
        registerT1(url);
        journal(url, "t1", 60, "human", null);

        try (Connection erase = DriverManager.getConnection(url);
                Statement statement = erase.createStatement()) {
            erase.setAutoCommit(false);
            statement.execute("SET lock_timeout = '500ms'");
            // An erase locks the recipient's emails first, as WriteTransaction.eraseRecipient does.
            statement.executeQuery("SELECT 1 FROM et_email WHERE tracking_id = 't1' FOR UPDATE");
            try (JdbcTrackingStore store = open(url)) {
                awaitABackendWaitingOnALock(url);

                // Then it takes the emails' opens out of the journal: the fold, waiting for the
                // email, must not hold them meanwhile, or the two would wait on each other.
                assertThat(
                                statement.executeUpdate(
                                        "DELETE FROM et_open_journal WHERE tracking_id = 't1'"))
                        .isEqualTo(1);
                erase.rollback();

                assertThat(store.status(id("t1"), Page.NEWEST).orElseThrow().counters().openCount())
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void status_whileAnotherStoreHoldsTheEmailLongerThanAFoldWaits_foldsOnceItLetsGo()
            throws Exception {
        String url = newDatabaseUrl();
        registerT1(url);
        journal(url, "t1", 60, "human", null);
        ScheduledExecutorService releaser = Executors.newSingleThreadScheduledExecutor();

        try (Connection other = DriverManager.getConnection(url);
                Statement statement = other.createStatement();
                JdbcTrackingStore store = open(url)) {
            other.setAutoCommit(false);
            // As another store's erase or fold of the email does, for longer than two folds wait:
            // the store's own fold in its spare time may be the first to wait.
            statement.executeQuery("SELECT 1 FROM et_email WHERE tracking_id = 't1' FOR UPDATE");
            releaser.schedule(
                    () -> {
                        other.rollback();
                        return null;
                    },
                    JournalFolding.LOCK_WAIT.toMillis() * 5 / 2,
                    TimeUnit.MILLISECONDS);

            EmailStatus status = store.status(id("t1"), Page.NEWEST).orElseThrow();

            assertThat(status.counters().openCount()).isEqualTo(1);
        } finally {
            releaser.shutdownNow();
        }
    }

    /** Waits until a connection to the database waits for a row lock; fails after a while. */
    private static void awaitABackendWaitingOnALock(String url) throws Exception {
        String waiting =
                "SELECT COUNT(*) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND wait_event_type = 'Lock'";
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (count(url, waiting) == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the store never waited for the locked email");
            }
            Thread.sleep(10);
        }
    }

    /** Sets a setting's default for new sessions of the database at {@code url}. */
    private static void setDatabaseDefault(String url, String setting, String value)
            throws SQLException {
        String database = strings(url, "SELECT current_database()").get(0);
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute(
                    "ALTER DATABASE " + database + " SET " + setting + " = '" + value + "'");
        }
    }
}
