package io.github.emailtracking.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.emailtracking.api.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The connections of one store: where reads, the writer and the migrations get theirs, set up for
 * the dialect. Thread-safe.
 */
final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /** How long a read or the writer waits for a pooled connection before giving up. */
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    /** How many KiB of pages the SQLite writer's connection keeps in memory at most. */
    static final int WRITER_CACHE_KIB = 64 * 1024;

    /** How many pages the SQLite log holds before the writer copies them into the file. */
    static final int WRITER_CHECKPOINT_PAGES = 10_000;

    /**
     * How many bytes of the SQLite log file are kept once the log starts over: about the pages the
     * writer lets it hold, at SQLite's default page size. A reader that keeps one snapshot open for
     * long (a backup, a shell left in a transaction) stops checkpoints from reaching the end of the
     * log, which then grows with every write; once the reader is done the file shrinks back.
     */
    static final int WRITER_LOG_LIMIT_BYTES = WRITER_CHECKPOINT_PAGES * 4096;

    /**
     * How long the writer keeps asking whether a commit whose answer was lost was made, while the
     * database still holds the transaction open (its end of the connection not closed yet).
     */
    static final Duration COMMIT_OUTCOME_WAIT = Duration.ofSeconds(2);

    private static final Duration COMMIT_OUTCOME_PAUSE = Duration.ofMillis(100);

    private final Dialect dialect;
    private final DataSource readers;
    private final DataSource writers;
    private final DataSource migrations;
    private final boolean hostConnections;
    private final Duration busyTimeout;
    private final List<HikariDataSource> pools;
    private final DatabaseFile file;
    private final LogGrowth logGrowth;
    private volatile boolean closed;

    private Database(
            Dialect dialect,
            DataSource readers,
            DataSource writers,
            DataSource migrations,
            boolean hostConnections,
            Duration busyTimeout,
            List<HikariDataSource> pools,
            DatabaseFile file) {
        this.dialect = dialect;
        this.readers = readers;
        this.writers = writers;
        this.migrations = migrations;
        this.hostConnections = hostConnections;
        this.busyTimeout = busyTimeout;
        this.pools = List.copyOf(pools);
        this.file = file;
        this.logGrowth = file == null ? null : new LogGrowth(file.path());
    }

    /**
     * Opens the database a URL names, with pools of the store's own.
     *
     * @param readConnections how many connections reads may use at once, beside the writer's one
     * @param mayCreate whether a SQLite file, and its folder, may be created when missing
     * @throws StoreException if the database cannot be opened, or a SQLite file that may not be
     *     created is missing
     */
    static Database open(
            String jdbcUrl, int readConnections, Duration busyTimeout, boolean mayCreate) {
        Dialect dialect = Dialect.ofUrl(jdbcUrl);
        if (dialect == Dialect.SQLITE && !mayCreate) {
            requireSqliteFile(jdbcUrl);
        }
        try {
            return dialect == Dialect.SQLITE
                    ? openSqlite(jdbcUrl, readConnections, busyTimeout)
                    : openPostgres(jdbcUrl, readConnections, busyTimeout);
        } catch (StoreException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            throw failure(dialect, "open the database", e);
        }
    }

    /** Uses a data source of the host's; its dialect is read from the connection's metadata. */
    static Database wrap(DataSource dataSource, Duration busyTimeout) {
        Dialect dialect = detect(dataSource);
        Database database =
                new Database(
                        dialect,
                        dataSource,
                        dataSource,
                        dataSource,
                        true,
                        busyTimeout,
                        List.of(),
                        null);
        if (dialect == Dialect.SQLITE) {
            database.inspect("switch the database to write-ahead logging", Database::useWal);
        }
        return database;
    }

    /** Returns the dialect the database speaks. */
    Dialect dialect() {
        return dialect;
    }

    /** Returns where the migrations get their connections. */
    DataSource migrations() {
        return migrations;
    }

    /** Returns a connection for the writer, ready for {@link #beginWrite}. */
    Connection writeConnection() throws SQLException {
        return prepared(writers.getConnection());
    }

    /**
     * Begins a write transaction on a connection from {@link #writeConnection}. The store's own
     * PostgreSQL writer sets {@link Dialect#WRITE_CHARACTERISTICS} and its wait for locks once per
     * connection; a host's connections may default to others, so each transaction on one sets them.
     *
     * @throws DatabaseFile.ChangedException if the SQLite file the store opened from a URL was
     *     deleted or replaced
     */
    void beginWrite(Connection connection) throws SQLException {
        if (file != null) {
            file.requireUnchanged();
            logGrowth.check();
        }
        dialect.beginWrite(connection);
        if (hostConnections) {
            dialect.pinWriteCharacteristics(connection);
            dialect.limitWriteWaits(connection, busyTimeout);
        }
    }

    /**
     * Runs single-statement reads on a read connection, once more on another connection when the
     * first one broke (see {@link #readAgainIfBroken}).
     */
    <T> T read(String action, SqlWork<T> work) {
        requireOpen(action);
        return readAgainIfBroken(action, () -> readOnce(work, true));
    }

    /**
     * Runs reads of the schema as {@link #read} does, but on a host's PostgreSQL connection outside
     * any transaction: they may probe with a statement the database refuses, which would end the
     * transaction it ran in.
     */
    <T> T inspect(String action, SqlWork<T> work) {
        requireOpen(action);
        return readAgainIfBroken(action, () -> readOnce(work, false));
    }

    /**
     * Returns whether the write transaction with this {@link Dialect#transactionId id} was
     * committed, asked on a read connection after the writer's broke during its commit: asked again
     * for up to {@link #COMMIT_OUTCOME_WAIT} while the database cannot be reached or still holds
     * the transaction open.
     *
     * @return true or false once the database tells, empty when it does not in that time or keeps
     *     no record of transactions
     */
    Optional<Boolean> committed(long transactionId) {
        long deadline = System.nanoTime() + COMMIT_OUTCOME_WAIT.toNanos();
        while (true) {
            Optional<Boolean> outcome = askWhetherCommitted(transactionId);
            if (outcome.isPresent() || System.nanoTime() - deadline >= 0) {
                return outcome;
            }
            try {
                Thread.sleep(COMMIT_OUTCOME_PAUSE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** Asks once; a database that cannot be reached yet, as while it restarts, cannot tell. */
    private Optional<Boolean> askWhetherCommitted(long transactionId) {
        try {
            return read(
                    "learn whether a commit was made",
                    connection -> dialect.committed(connection, transactionId));
        } catch (StoreException e) {
            LOG.debug("Could not learn whether a commit was made", e);
            return Optional.empty();
        }
    }

    /** Runs several reads in one transaction, so that they see one snapshot; retried like them. */
    <T> T readSnapshot(String action, SqlWork<T> work) {
        requireOpen(action);
        return readAgainIfBroken(action, () -> readSnapshotOnce(work));
    }

    /**
     * Runs a read, and once more when the database could not be reached: a server that restarted,
     * or a connection an administrator ended, leaves broken connections in the pool, each found out
     * only when used. Before the second try, the store's own pool drops the connections it holds,
     * so that the second try gets a new one. Reads change nothing, so trying again is safe.
     */
    private <T> T readAgainIfBroken(String action, ReadTry<T> read) {
        try {
            return read.run();
        } catch (SQLException e) {
            if (dialect.classify(e) != FailureKind.UNREACHABLE) {
                throw failure(action, e);
            }
            LOG.debug("A read connection broke; reading again on a new one", e);
            if (readers instanceof HikariDataSource pool && pool.getHikariPoolMXBean() != null) {
                pool.getHikariPoolMXBean().softEvictConnections();
            }
            try {
                return read.run();
            } catch (SQLException again) {
                throw failure(action, again);
            }
        }
    }

    /** One try of a read, with a connection of its own. */
    @FunctionalInterface
    private interface ReadTry<T> {
        T run() throws SQLException;
    }

    private <T> T readOnce(SqlWork<T> work, boolean limitLockWait) throws SQLException {
        try (Connection connection = prepared(readers.getConnection())) {
            if (!limitLockWait || !hostConnections || dialect != Dialect.POSTGRESQL) {
                return work.run(connection);
            }
            return readInATransactionOfItsOwn(connection, work);
        }
    }

    /**
     * Runs a read on a host's PostgreSQL connection in a transaction whose wait for locks is the
     * busy timeout, as the store's own connections wait: the host's may wait for ever, and the
     * pixel's lookup of its email would then hold the request, and a stop, as long as a lock.
     */
    private <T> T readInATransactionOfItsOwn(Connection connection, SqlWork<T> work)
            throws SQLException {
        connection.setAutoCommit(false);
        return endRead(connection, work);
    }

    private <T> T readSnapshotOnce(SqlWork<T> work) throws SQLException {
        try (Connection connection = prepared(readers.getConnection())) {
            dialect.beginRead(connection);
            return endRead(connection, work);
        }
    }

    /**
     * Runs a read in the transaction just begun, which on a host's connection waits for locks as
     * long as the busy timeout, then ends the transaction, with a rollback when the read failed.
     */
    private <T> T endRead(Connection connection, SqlWork<T> work) throws SQLException {
        try {
            if (hostConnections) {
                dialect.limitLockWait(connection, busyTimeout);
            }
            T result = work.run(connection);
            dialect.commit(connection);
            return result;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection);
            throw e;
        }
    }

    /** Rolls back, when something else already failed and that failure is the one to report. */
    void rollbackQuietly(Connection connection) {
        try {
            dialect.rollback(connection);
        } catch (SQLException e) {
            LOG.debug("Rollback after a failure failed too", e);
        }
    }

    /** Returns a store exception that says, for people, what could not be done and why. */
    StoreException failure(String action, Throwable cause) {
        return failure(dialect, action, cause);
    }

    /** Closes the store's own pools; a host's data source is left open. */
    @Override
    public void close() {
        closed = true;
        pools.forEach(HikariDataSource::close);
    }

    private void requireOpen(String action) {
        if (closed) {
            throw new StoreException("could not " + action + ": the store is closed");
        }
    }

    private Connection prepared(Connection connection) throws SQLException {
        try {
            // Every transaction is begun explicitly; a host's pool may hand out connections
            // that are not in auto-commit mode.
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            if (hostConnections && dialect == Dialect.SQLITE) {
                applySqlitePragmas(connection, busyTimeout);
            }
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    private static Database openSqlite(String jdbcUrl, int readConnections, Duration busyTimeout)
            throws SQLException {
        requireRegularFile(jdbcUrl);
        createParentDirectories(jdbcUrl);
        SQLiteDataSource direct = new SQLiteDataSource(sqliteConfig(busyTimeout));
        direct.setUrl(jdbcUrl);
        // The first connection switches a new file to write-ahead logging before the pools open
        // connections side by side.
        try (Connection first = direct.getConnection()) {
            useWal(first);
        }
        DatabaseFile file = fileOf(jdbcUrl);
        List<HikariDataSource> pools = new ArrayList<>();
        try {
            SQLiteDataSource forWriter = new SQLiteDataSource(sqliteWriterConfig(busyTimeout));
            forWriter.setUrl(jdbcUrl);
            HikariDataSource writer = pool(forWriter, 1, "email-tracking-writer");
            pools.add(writer);
            HikariDataSource readers = pool(direct, readConnections, "email-tracking-readers");
            pools.add(readers);
            return new Database(
                    Dialect.SQLITE, readers, writer, direct, false, busyTimeout, pools, file);
        } catch (RuntimeException e) {
            pools.forEach(HikariDataSource::close);
            throw e;
        }
    }

    private static Database openPostgres(
            String jdbcUrl, int readConnections, Duration busyTimeout) {
        PGSimpleDataSource direct = postgresSource(jdbcUrl);
        // The migration writes like the writer, whatever the database's default.
        PGSimpleDataSource forMigrations = postgresSource(jdbcUrl);
        String options = forMigrations.getOptions();
        forMigrations.setOptions(
                (options == null ? "" : options + " ") + "-c default_transaction_read_only=off");
        List<HikariDataSource> pools = new ArrayList<>();
        try {
            // The writer has a connection of its own, so that a burst of reads never delays it.
            HikariConfig writerConfig = poolConfig(direct, 1, "email-tracking-writer");
            writerConfig.setConnectionInitSql(
                    "SET SESSION CHARACTERISTICS AS TRANSACTION "
                            + Dialect.WRITE_CHARACTERISTICS
                            + "; SET "
                            + Dialect.lockTimeout(busyTimeout)
                            + "; SET "
                            + Dialect.idleLimit(busyTimeout));
            HikariDataSource writer = new HikariDataSource(writerConfig);
            pools.add(writer);
            HikariConfig readersConfig =
                    poolConfig(direct, readConnections, "email-tracking-readers");
            readersConfig.setConnectionInitSql("SET " + Dialect.lockTimeout(busyTimeout));
            HikariDataSource readers = new HikariDataSource(readersConfig);
            pools.add(readers);
            return new Database(
                    Dialect.POSTGRESQL,
                    readers,
                    writer,
                    forMigrations,
                    false,
                    busyTimeout,
                    pools,
                    null);
        } catch (RuntimeException e) {
            pools.forEach(HikariDataSource::close);
            throw e;
        }
    }

    private static PGSimpleDataSource postgresSource(String jdbcUrl) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(jdbcUrl);
        if (!jdbcUrl.contains("logServerErrorDetail")) {
            // Otherwise the driver's messages quote a failed statement with its values and the
            // rows a constraint refused: tracking ids, addresses, user agents, which any log of
            // a failure would then hold. A URL that sets the property keeps its choice.
            source.setLogServerErrorDetail(false);
        }
        return source;
    }

    private static HikariDataSource pool(DataSource connections, int size, String name) {
        return new HikariDataSource(poolConfig(connections, size, name));
    }

    private static HikariConfig poolConfig(DataSource connections, int size, String name) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(connections);
        config.setMaximumPoolSize(size);
        config.setPoolName(name);
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        return config;
    }

    private static SQLiteConfig sqliteConfig(Duration busyTimeout) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL syncs the log at every commit: a write that was acknowledged survives a power cut.
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout((int) busyTimeout.toMillis());
        config.enforceForeignKeys(true);
        return config;
    }

    /**
     * The writer's connection also keeps up to {@value #WRITER_CACHE_KIB} KiB of pages, and
     * checkpoints the log once it holds {@value #WRITER_CHECKPOINT_PAGES} pages: a fold touches
     * thousands of pages of the open rows' index, which then stay in memory from one fold to the
     * next, and are copied into the database file in fewer, larger checkpoints. It keeps the log
     * file to {@value #WRITER_LOG_LIMIT_BYTES} bytes whenever the log starts over.
     */
    private static SQLiteConfig sqliteWriterConfig(Duration busyTimeout) {
        SQLiteConfig config = sqliteConfig(busyTimeout);
        config.setCacheSize(-WRITER_CACHE_KIB);
        config.setPragma(
                SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, Integer.toString(WRITER_CHECKPOINT_PAGES));
        config.setJournalSizeLimit(WRITER_LOG_LIMIT_BYTES);
        return config;
    }

    private static void applySqlitePragmas(Connection connection, Duration busyTimeout)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA foreign_keys = ON");
            statement.execute("PRAGMA synchronous = FULL");
            statement.execute("PRAGMA busy_timeout = " + busyTimeout.toMillis());
        }
    }

    private static Void useWal(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA journal_mode = WAL");
        }
        return null;
    }

    /**
     * Fails when a SQLite URL's file is missing, before the driver would create an empty one:
     * without migrations nothing would fill it, and the host may have named the wrong file.
     */
    private static void requireSqliteFile(String jdbcUrl) {
        Path file = SqliteFiles.databaseFile(jdbcUrl);
        if (!Files.exists(file)) {
            throw new StoreException(
                    "the database file "
                            + file.toAbsolutePath()
                            + " does not exist: a store built with migrate(false) creates no"
                            + " tables; apply the scripts in "
                            + Dialect.SQLITE.migrationFolder()
                            + "/ of the storage-jdbc jar to a new file first, or build the store"
                            + " with migrate(true)");
        }
    }

    private static DatabaseFile fileOf(String jdbcUrl) throws SQLException {
        try {
            return DatabaseFile.at(SqliteFiles.databaseFile(jdbcUrl));
        } catch (IOException e) {
            throw new SQLException("the database file cannot be read", e);
        }
    }

    /**
     * Fails when the SQLite URL names something other than a file, such as {@code /dev/null} or a
     * folder, or when one of the files SQLite keeps beside it is no file: SQLite would fail later
     * with a less telling error, or leave its journal beside it.
     */
    private static void requireRegularFile(String jdbcUrl) {
        Path file = SqliteFiles.databaseFile(jdbcUrl).toAbsolutePath();
        for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
            Path kept = file.resolveSibling(file.getFileName() + suffix);
            if (Files.exists(kept) && !Files.isRegularFile(kept)) {
                throw new StoreException(
                        "could not open the database: "
                                + kept
                                + " is not a regular file, and SQLite keeps a database"
                                + (suffix.isEmpty() ? "" : " and its " + suffix + " file")
                                + " in files");
            }
        }
    }

    private static void createParentDirectories(String jdbcUrl) {
        Path file = SqliteFiles.databaseFile(jdbcUrl);
        try {
            SqliteFiles.createOwnerOnly(file);
        } catch (IOException e) {
            Path absolute = file.toAbsolutePath();
            boolean folderExists =
                    absolute.getParent() != null && Files.isDirectory(absolute.getParent());
            throw new StoreException(
                    folderExists
                            ? "could not open the database: the file "
                                    + absolute
                                    + " cannot be created in its folder: check that this process"
                                    + " may write there, and that the file system takes the name"
                            : "could not open the database: the folder of "
                                    + absolute
                                    + " cannot be created",
                    e);
        }
    }

    private static Dialect detect(DataSource dataSource) {
        String product;
        String url;
        try (Connection connection = dataSource.getConnection()) {
            product = connection.getMetaData().getDatabaseProductName();
            url = connection.getMetaData().getURL();
        } catch (SQLException e) {
            throw failure(null, "open the database", e);
        }
        Dialect dialect = Dialect.ofProductName(product);
        if (dialect == null) {
            throw new IllegalArgumentException(
                    "dataSource must be a SQLite or PostgreSQL database, not " + product);
        }
        boolean sqliteUrl = url != null && url.startsWith(SqliteFiles.URL_PREFIX);
        if (dialect == Dialect.SQLITE && sqliteUrl && SqliteFiles.isInMemory(url)) {
            throw new IllegalArgumentException(
                    "dataSource must reach a SQLite database file, not "
                            + JdbcUrls.redact(url)
                            + ": "
                            + SqliteFiles.IN_MEMORY_REASON);
        }
        return dialect;
    }

    private static StoreException failure(Dialect dialect, String action, Throwable cause) {
        // Before the dialect is known, only the standard SQLSTATE classes can be read, and
        // PostgreSQL's reading of them is the standard one.
        FailureKind kind =
                dialect != null ? dialect.classify(cause) : Dialect.POSTGRESQL.classify(cause);
        return new StoreException("could not " + action + ": " + kind.reason(), cause);
    }
}
