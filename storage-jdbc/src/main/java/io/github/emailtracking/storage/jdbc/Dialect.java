package io.github.emailtracking.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * What differs between the two databases: how transactions begin and end, how text is ordered by
 * code point, how a read locks the rows it finds, where the migration scripts are, and what an
 * error code means.
 */
enum Dialect {

    /**
     * SQLite. Transactions are begun with statements, the connection staying in auto-commit mode:
     * the driver's own non-auto-commit mode would begin the next transaction at once after each
     * commit, holding the write lock between batches.
     */
    SQLITE("sqlite", "", "") {
        @Override
        void beginWrite(Connection connection) throws SQLException {
            // A deferred transaction that reads first fails with SQLITE_BUSY when it then writes,
            // whatever the busy timeout; IMMEDIATE takes the write lock up front.
            execute(connection, "BEGIN IMMEDIATE");
        }

        @Override
        void beginRead(Connection connection) throws SQLException {
            execute(connection, "BEGIN");
        }

        @Override
        void commit(Connection connection) throws SQLException {
            execute(connection, "COMMIT");
        }

        @Override
        void rollback(Connection connection) throws SQLException {
            execute(connection, "ROLLBACK");
        }

        /**
         * In doubt only when SQLite wrote the commit to the log but could not sync it: the log then
         * holds the transaction, which a later start may find there. Any other failure leaves the
         * commit unwritten or cut short, which SQLite's checksums throw away.
         */
        @Override
        boolean commitInDoubt(Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof SQLiteException sqlite) {
                    SQLiteErrorCode code = sqlite.getResultCode();
                    return code == SQLiteErrorCode.SQLITE_IOERR_FSYNC
                            || code == SQLiteErrorCode.SQLITE_IOERR_DIR_FSYNC
                            || code == SQLiteErrorCode.SQLITE_IOERR;
                }
            }
            return true;
        }

        @Override
        FailureKind classifyOwn(SQLException e) {
            if (e instanceof SQLiteException sqlite) {
                SQLiteErrorCode code = sqlite.getResultCode();
                if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY
                        || code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE) {
                    return FailureKind.DUPLICATE;
                }
                if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY) {
                    return FailureKind.MISSING_PARENT;
                }
            }
            int primaryCode = e.getErrorCode() & 0xff;
            if (primaryCode == SQLITE_NOTADB) {
                return FailureKind.NOT_A_DATABASE;
            }
            if (primaryCode == SQLITE_CANTOPEN) {
                return FailureKind.CANNOT_OPEN;
            }
            if (primaryCode == SQLITE_FULL) {
                return FailureKind.FULL;
            }
            return primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED
                    ? FailureKind.CONFLICT
                    : null;
        }
    },

    /** PostgreSQL, with the driver's own transaction control. */
    POSTGRESQL("postgresql", " COLLATE \"C\"", " FOR UPDATE") {
        @Override
        void beginWrite(Connection connection) throws SQLException {
            connection.setAutoCommit(false);
        }

        @Override
        void pinWriteCharacteristics(Connection connection) throws SQLException {
            execute(connection, "SET TRANSACTION " + WRITE_CHARACTERISTICS);
        }

        @Override
        void limitLockWait(Connection connection, Duration wait) throws SQLException {
            execute(connection, "SET LOCAL " + lockTimeout(wait));
        }

        @Override
        void limitWriteWaits(Connection connection, Duration busyTimeout) throws SQLException {
            execute(
                    connection,
                    "SET LOCAL "
                            + lockTimeout(busyTimeout)
                            + "; SET LOCAL "
                            + idleLimit(busyTimeout));
        }

        @Override
        void beginRead(Connection connection) throws SQLException {
            connection.setAutoCommit(false);
            // One snapshot for every query of a status or a report, so counts and lists agree.
            execute(connection, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        }

        @Override
        void commit(Connection connection) throws SQLException {
            connection.commit();
            connection.setAutoCommit(true);
        }

        @Override
        void rollback(Connection connection) throws SQLException {
            connection.rollback();
            connection.setAutoCommit(true);
        }

        /**
         * In doubt when the connection was lost, or ended by the server, before the answer came; an
         * error the server answered means the transaction was rolled back.
         */
        @Override
        boolean commitInDoubt(Throwable failure) {
            if (classify(failure) == FailureKind.UNREACHABLE) {
                return true;
            }
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof SQLException e && e.getSQLState() != null) {
                    return false;
                }
            }
            return true;
        }

        @Override
        long transactionId(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("SELECT txid_current()")) {
                row.next();
                return row.getLong(1);
            }
        }

        @Override
        Optional<Boolean> committed(Connection connection, long transactionId) throws SQLException {
            try (PreparedStatement query = connection.prepareStatement("SELECT txid_status(?)")) {
                query.setLong(1, transactionId);
                try (ResultSet row = query.executeQuery()) {
                    String status = row.next() ? row.getString(1) : null;
                    if ("committed".equals(status)) {
                        return Optional.of(true);
                    }
                    return "aborted".equals(status) ? Optional.of(false) : Optional.empty();
                }
            }
        }

        @Override
        FailureKind classifyOwn(SQLException e) {
            String state = e.getSQLState();
            if (state == null) {
                return null;
            }
            if (state.equals("23505")) {
                return FailureKind.DUPLICATE;
            }
            if (state.equals("23503")) {
                return FailureKind.MISSING_PARENT;
            }
            if (state.equals("40001") || state.equals("40P01") || state.equals("55P03")) {
                return FailureKind.CONFLICT;
            }
            if (state.equals("57014")) {
                return FailureKind.CANCELLED;
            }
            if (state.equals("25006")) {
                return FailureKind.READ_ONLY;
            }
            if (state.equals("53100")) {
                return FailureKind.FULL;
            }
            if (state.equals("3D000")) {
                return FailureKind.NO_SUCH_DATABASE;
            }
            if (state.equals("28000") || state.equals("28P01")) {
                return FailureKind.LOGIN_REFUSED;
            }
            // 25P03: the server ended a session whose transaction sat idle too long.
            boolean connectionLost =
                    state.startsWith("08")
                            || state.startsWith("57P")
                            || state.equals("53300")
                            || state.equals("25P03");
            return connectionLost ? FailureKind.UNREACHABLE : null;
        }
    };

    /** What {@link #transactionId} answers where the database keeps no record of transactions. */
    static final long NO_TRANSACTION_ID = -1;

    /**
     * The shortest time a write transaction may sit idle on PostgreSQL (see {@link #idleLimit}).
     */
    static final Duration MIN_IDLE_WRITE = Duration.ofSeconds(1);

    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CANTOPEN = 14;
    private static final int SQLITE_NOTADB = 26;
    private static final Set<String> PRODUCT_NAMES = Set.of("sqlite", "postgresql");

    private final String name;
    private final String codePointOrder;
    private final String lockingRead;

    Dialect(String name, String codePointOrder, String lockingRead) {
        this.name = name;
        this.codePointOrder = codePointOrder;
        this.lockingRead = lockingRead;
    }

    /** Begins a transaction that writes, taking whatever lock writing needs at once. */
    abstract void beginWrite(Connection connection) throws SQLException;

    /**
     * The PostgreSQL transaction characteristics the writes are built for: they lock what they
     * change and count on seeing what others committed meanwhile, where a stricter level would fail
     * them whenever two nodes change one email at once; and they write, whatever the database's
     * default.
     */
    static final String WRITE_CHARACTERISTICS = "ISOLATION LEVEL READ COMMITTED, READ WRITE";

    /**
     * Sets the {@link #WRITE_CHARACTERISTICS} on the transaction just begun by {@link #beginWrite},
     * on a connection whose defaults may be others. SQLite has one level only.
     */
    void pinWriteCharacteristics(Connection connection) throws SQLException {
        // Nothing to set.
    }

    /**
     * Bounds how long the transaction just begun waits for a lock that another transaction holds,
     * as one that a {@code LOCK TABLE} or a {@code REINDEX} takes: PostgreSQL waits without end
     * unless told. SQLite's busy timeout, set per connection, bounds its waits already.
     */
    void limitLockWait(Connection connection, Duration wait) throws SQLException {
        // Nothing to set.
    }

    /**
     * Bounds, in the write transaction just begun, how long it waits for a lock, and how long it
     * may sit idle between two statements (see {@link #idleLimit}).
     */
    void limitWriteWaits(Connection connection, Duration busyTimeout) throws SQLException {
        limitLockWait(connection, busyTimeout);
    }

    /** Returns PostgreSQL's setting of a lock wait, for a {@code SET} statement. */
    static String lockTimeout(Duration wait) {
        return "lock_timeout = " + wait.toMillis();
    }

    /**
     * Returns PostgreSQL's setting of how long a write transaction may sit idle between two
     * statements before the server ends its session, for a {@code SET} statement: half the busy
     * timeout, and at least {@link #MIN_IDLE_WRITE}. A writer's transaction idles only while its
     * process stalls (a long pause of its collector, a frozen machine); ending it then releases the
     * rows it locked, so that the writers of other stores sharing the database get them within
     * their own wait for a lock, instead of failing or dropping their writes for as long as the
     * stall lasts. The stalled writer finds its connection gone when it resumes, and writes its
     * batch again on another.
     */
    static String idleLimit(Duration busyTimeout) {
        long millis = Math.max(busyTimeout.toMillis() / 2, MIN_IDLE_WRITE.toMillis());
        return "idle_in_transaction_session_timeout = " + millis;
    }

    /** Begins a transaction that only reads and sees one snapshot throughout. */
    abstract void beginRead(Connection connection) throws SQLException;

    /** Commits the transaction begun on this connection. */
    abstract void commit(Connection connection) throws SQLException;

    /** Rolls back the transaction begun on this connection. */
    abstract void rollback(Connection connection) throws SQLException;

    /**
     * Returns whether a commit that failed with {@code failure} may have been made all the same.
     */
    abstract boolean commitInDoubt(Throwable failure);

    /**
     * Returns the id of the write transaction open on the connection, by which {@link #committed}
     * tells later whether it was committed, or {@link #NO_TRANSACTION_ID} where the database keeps
     * no such record, as SQLite.
     */
    long transactionId(Connection connection) throws SQLException {
        return NO_TRANSACTION_ID;
    }

    /**
     * Returns whether the transaction with this {@link #transactionId} was committed, asked on
     * another connection: true or false once the database knows, empty while the transaction is
     * still in progress or where the dialect cannot tell.
     */
    Optional<Boolean> committed(Connection connection, long transactionId) throws SQLException {
        return Optional.empty();
    }

    /** Returns the kind of this very exception, or null when the dialect does not know it. */
    abstract FailureKind classifyOwn(SQLException e);

    /** Returns the folder, on the class path, of this dialect's migration scripts. */
    String migrationFolder() {
        return "db/email-tracking/" + name;
    }

    /** Returns what to write after a text column in ORDER BY so it sorts by code point. */
    String codePointOrder() {
        return codePointOrder;
    }

    /**
     * Returns what to write at the end of a query in a write transaction so that the rows it finds
     * stay locked until the commit. Nothing with SQLite, whose write transaction locks the whole
     * database from its start.
     */
    String lockingRead() {
        return lockingRead;
    }

    /**
     * Returns the kind of a failure, looking through its causes and chained exceptions (a failed
     * batch reports the statement's own error as the next exception).
     */
    FailureKind classify(Throwable failure) {
        FailureKind fallback = FailureKind.OTHER;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e) {
                FailureKind kind = classifyChain(e);
                if (kind != null) {
                    return kind;
                }
                if (e instanceof SQLTransientConnectionException) {
                    // A pool that had no connection in time: all of them busy, the database being
                    // up, unless its last try at a new one failed, as when the database refuses
                    // connections for a while.
                    fallback =
                            e.getCause() instanceof SQLException
                                    ? FailureKind.UNREACHABLE
                                    : FailureKind.CONFLICT;
                }
            }
        }
        return fallback;
    }

    private FailureKind classifyChain(SQLException e) {
        if (e instanceof DatabaseFile.ChangedException) {
            return FailureKind.FILE_CHANGED;
        }
        for (SQLException next = e; next != null; next = next.getNextException()) {
            FailureKind kind = classifyOwn(next);
            if (kind != null) {
                return kind;
            }
        }
        return null;
    }

    /** Returns the dialect of a JDBC URL, or null when the store does not speak it. */
    static Dialect ofUrl(String jdbcUrl) {
        for (Dialect dialect : values()) {
            if (jdbcUrl.startsWith("jdbc:" + dialect.name + ":")) {
                return dialect;
            }
        }
        return null;
    }

    /** Returns the dialect of a database product name from connection metadata, or null. */
    static Dialect ofProductName(String productName) {
        String name = productName.toLowerCase(Locale.ROOT);
        return PRODUCT_NAMES.contains(name) ? valueOf(name.toUpperCase(Locale.ROOT)) : null;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
