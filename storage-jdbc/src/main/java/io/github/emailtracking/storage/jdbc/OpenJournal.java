package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.spi.TimelineBuckets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * The rows of {@code et_open_journal} in one transaction: opens appended as they arrive, and taken
 * out again, oldest first, to be folded into the email's counters, its event rows and the
 * campaign's aggregates. Used by the writer thread only.
 *
 * <p>An open is appended only when its email exists, which the insert itself checks, so the answer
 * to the caller is the same as for an open written in full. Appending costs a transaction a few
 * pages for many opens; folding them later, many at a time, touches each email's pages once for all
 * of its opens. SQLite appends a batch's opens one row per statement, which costs it little; on
 * PostgreSQL one statement appends them all from arrays, since the server's work for each statement
 * it runs weighs more than the row.
 *
 * <p>Taken opens never leave the database: they are moved into a temporary table of the writer's
 * connection, {@code et_open_fold}, which the writer reads only as figures per email and per
 * timeline bucket, and from which their rows are copied into {@code et_open} once the counters tell
 * which rows the cap keeps.
 */
final class OpenJournal {

    private static final String APPEND =
            """
            INSERT INTO et_open_journal (tracking_id, opened_at, ip_address, user_agent, verdict,
                                         reason)
            SELECT ?, ?, ?, ?, ?, ?
             WHERE EXISTS (SELECT 1 FROM et_email WHERE tracking_id = ?)\
            """;
    // The opens of a batch, one array per column, in the order they came; an open whose email
    // exists is appended, and each appended row answers its tracking id.
    private static final String APPEND_ALL_POSTGRESQL =
            """
            INSERT INTO et_open_journal (tracking_id, opened_at, ip_address, user_agent, verdict,
                                         reason)
            SELECT o.tracking_id, o.opened_at, o.ip_address, o.user_agent, o.verdict, o.reason
              FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[])
                   WITH ORDINALITY
                   AS o (tracking_id, opened_at, ip_address, user_agent, verdict, reason, position)
             WHERE EXISTS (SELECT 1 FROM et_email AS e WHERE e.tracking_id = o.tracking_id)
             ORDER BY o.position
            RETURNING tracking_id\
            """;
    private static final String COLUMNS =
            "journal_id, tracking_id, opened_at, ip_address, user_agent, verdict, reason";
    // The fold table has the journal's columns, in its order. PostgreSQL's has none of its keys,
    // and is emptied at commit, which leaves no dead rows behind. SQLite's keeps the row id as its
    // key, so that rows copied in the journal's order are appended and read back in it without a
    // sort.
    private static final String CREATE_FOLD_TABLE_POSTGRESQL =
            "CREATE TEMPORARY TABLE IF NOT EXISTS et_open_fold (LIKE et_open_journal)"
                    + " ON COMMIT DELETE ROWS";
    private static final String CREATE_FOLD_TABLE_SQLITE =
            """
            CREATE TEMPORARY TABLE IF NOT EXISTS et_open_fold (
                journal_id INTEGER PRIMARY KEY, tracking_id TEXT, opened_at INTEGER,
                ip_address TEXT, user_agent TEXT, verdict TEXT, reason TEXT)\
            """;
    // A fold's range ends at the last of the oldest rows it may take, found first.
    private static final String LAST_OF_OLDEST =
            """
            SELECT MAX(journal_id)
              FROM (SELECT journal_id FROM et_open_journal
                     WHERE journal_id > ? AND journal_id <= ?
                     ORDER BY journal_id LIMIT ?) AS oldest\
            """;
    // SQLite: the writer holds the database's write lock, so the rows it copies are the rows it
    // deletes.
    private static final String COPY_RANGE =
            "INSERT INTO et_open_fold SELECT %s FROM et_open_journal".formatted(COLUMNS)
                    + " WHERE journal_id > ? AND journal_id <= ?";
    private static final String DELETE_RANGE =
            "DELETE FROM et_open_journal WHERE journal_id > ? AND journal_id <= ?";
    private static final String COPY_OF_EMAIL =
            "INSERT INTO et_open_fold SELECT %s FROM et_open_journal WHERE tracking_id = ?"
                    .formatted(COLUMNS);
    private static final String DELETE_OF_EMAIL =
            "DELETE FROM et_open_journal WHERE tracking_id = ?";
    // PostgreSQL: a fold locks the emails of the rows it is about to take before it takes any,
    // in the order every other writer locks emails, and takes only rows of emails it locked (or
    // of emails that no longer exist, which have nothing to lock). An erase locks its recipient's
    // emails before it takes their rows too, so the two never wait on each other in a circle; and
    // the fold locks no email after it holds rows. Rows another store commits in the range
    // meanwhile stay for a later fold.
    private static final String LOCK_EMAILS_IN_RANGE =
            """
            SELECT e.tracking_id
              FROM et_email AS e
             WHERE e.tracking_id IN (SELECT tracking_id FROM et_open_journal
                                      WHERE journal_id > ? AND journal_id <= ?)
             ORDER BY e.tracking_id COLLATE "C" FOR NO KEY UPDATE OF e\
            """;
    // Several stores may take the same rows at once: the deletion decides. The second waits for
    // the first to commit, then finds them deleted and moves only the others. Starting after the
    // last row a fold took spares the index scan the rows deleted before, which stay behind as
    // dead entries until the table is vacuumed.
    private static final String MOVE_RANGE =
            """
            WITH taken AS (
                DELETE FROM et_open_journal AS j
                 WHERE journal_id > ? AND journal_id <= ?
                   AND (tracking_id = ANY (?)
                        OR NOT EXISTS (SELECT 1 FROM et_email AS e
                                        WHERE e.tracking_id = j.tracking_id))
                RETURNING %1$s),
            moved AS (INSERT INTO et_open_fold SELECT %1$s FROM taken RETURNING journal_id)
            SELECT MAX(journal_id) FROM moved\
            """
                    .formatted(COLUMNS);
    private static final String MOVE_OF_EMAIL =
            """
            WITH taken AS (DELETE FROM et_open_journal WHERE tracking_id = ? RETURNING %1$s)
            INSERT INTO et_open_fold SELECT %1$s FROM taken\
            """
                    .formatted(COLUMNS);
    private static final String ANY_BETWEEN =
            "SELECT 1 FROM et_open_journal WHERE journal_id > ? AND journal_id <= ? LIMIT 1";
    private static final long BUCKET_WIDTH = TimelineBuckets.WIDTH.toMillis();
    // The remainder is taken twice so that a time before 1970 falls in the bucket below it, as
    // TimelineBuckets.bucketStart puts it.
    private static final String SUMMARIZE =
            """
            SELECT tracking_id, bucket_start, COUNT(*), MIN(opened_at), MAX(opened_at),
                   MIN(CASE WHEN verdict <> 'machine' THEN opened_at END),
                   SUM(CASE WHEN verdict = 'machine' THEN 1 ELSE 0 END)
              FROM (SELECT tracking_id, opened_at, verdict,
                           opened_at - ((opened_at %% %1$d) + %1$d) %% %1$d AS bucket_start
                      FROM et_open_fold) AS taken
             GROUP BY tracking_id, bucket_start\
            """
                    .formatted(BUCKET_WIDTH);
    private static final String DROP_OF_EMAIL = "DELETE FROM et_open_fold WHERE tracking_id = ?";
    private static final String DROP_BEYOND =
            """
            DELETE FROM et_open_fold
             WHERE tracking_id = ?
               AND journal_id NOT IN (SELECT journal_id FROM et_open_fold
                                       WHERE tracking_id = ?
                                       ORDER BY journal_id LIMIT ?)\
            """;
    // Email by email, each email's oldest first: the index on (tracking_id, open_id) then takes an
    // email's rows at one place, one after the other, where rows in the order they came would
    // land all over it. Within an email, row ids still follow the order its opens came in.
    private static final String WRITE_ROWS =
            """
            INSERT INTO et_open (tracking_id, opened_at, ip_address, user_agent, verdict, reason)
            SELECT tracking_id, opened_at, ip_address, user_agent, verdict, reason
              FROM et_open_fold
             ORDER BY tracking_id, journal_id\
            """;
    private static final String CLEAR = "DELETE FROM et_open_fold";

    private final WriteTransaction transaction;
    // SQLite: whether each open added to the statement's batch was appended, once it ran.
    private final List<Boolean> appended = new ArrayList<>();
    private int batched;
    // PostgreSQL: the opens not yet appended, and the tracking ids of those appended.
    private final List<OpenEvent> unflushed = new ArrayList<>();
    private final Set<String> appendedIds = new HashSet<>();
    private boolean foldTableReady;
    private boolean taken;

    OpenJournal(WriteTransaction transaction) {
        this.transaction = transaction;
    }

    /**
     * Adds an open to be appended by {@link #flush}.
     *
     * @return whether the open was appended, to be asked once the batch is committed: false when no
     *     email has its tracking id
     */
    BooleanSupplier append(OpenEvent open) throws SQLException {
        if (transaction.dialect() == Dialect.POSTGRESQL) {
            // Whether an email exists holds for all of its opens in one statement.
            unflushed.add(open);
            String trackingId = open.trackingId().value();
            return () -> appendedIds.contains(trackingId);
        }
        PreparedStatement insert = transaction.statement(APPEND);
        insert.setString(1, open.trackingId().value());
        insert.setLong(2, open.at().toEpochMilli());
        insert.setString(3, open.ipAddress());
        insert.setString(4, open.userAgent());
        Sql.setClassification(insert, 5, open.classification());
        insert.setString(7, open.trackingId().value());
        insert.addBatch();
        int index = batched++;
        return () -> index < appended.size() && appended.get(index);
    }

    /** Appends the opens added so far. */
    void flush() throws SQLException {
        if (transaction.dialect() == Dialect.POSTGRESQL) {
            appendAll();
            return;
        }
        if (batched == appended.size()) {
            return;
        }
        for (int count : transaction.statement(APPEND).executeBatch()) {
            appended.add(count > 0);
        }
    }

    private void appendAll() throws SQLException {
        if (unflushed.isEmpty()) {
            return;
        }
        int count = unflushed.size();
        String[] trackingIds = new String[count];
        Long[] openedAt = new Long[count];
        String[] ipAddresses = new String[count];
        String[] userAgents = new String[count];
        String[] verdicts = new String[count];
        String[] reasons = new String[count];
        for (int i = 0; i < count; i++) {
            OpenEvent open = unflushed.get(i);
            trackingIds[i] = open.trackingId().value();
            openedAt[i] = open.at().toEpochMilli();
            ipAddresses[i] = open.ipAddress();
            userAgents[i] = open.userAgent();
            verdicts[i] = Sql.verdictWord(open.classification());
            reasons[i] = open.classification().reason();
        }

        PreparedStatement insert = transaction.statement(APPEND_ALL_POSTGRESQL);
        insert.setArray(1, transaction.array("text", trackingIds));
        insert.setArray(2, transaction.array("bigint", openedAt));
        insert.setArray(3, transaction.array("text", ipAddresses));
        insert.setArray(4, transaction.array("text", userAgents));
        insert.setArray(5, transaction.array("text", verdicts));
        insert.setArray(6, transaction.array("text", reasons));
        try (ResultSet row = insert.executeQuery()) {
            while (row.next()) {
                appendedIds.add(row.getString(1));
            }
        }
        unflushed.clear();
    }

    /**
     * Takes out the oldest opens of a range of row ids, to be folded.
     *
     * @param afterId the row id after which to start
     * @param lastId the highest row id to take
     * @param limit how many rows to take at most
     * @return the highest row id taken, or {@code afterId} when none was
     */
    long takeOldest(long afterId, long lastId, int limit) throws SQLException {
        prepareFoldTable();
        Long last =
                transaction.dialect() == Dialect.POSTGRESQL
                        ? moveOldest(afterId, lastId, limit)
                        : copyOldest(afterId, lastId, limit);
        if (last == null) {
            return afterId;
        }
        taken = true;
        return last;
    }

    /** Takes out every open of one email, to be folded. */
    void takeOf(String trackingId) throws SQLException {
        prepareFoldTable();
        if (transaction.dialect() == Dialect.POSTGRESQL) {
            run(MOVE_OF_EMAIL, trackingId);
        } else {
            run(COPY_OF_EMAIL, trackingId);
            run(DELETE_OF_EMAIL, trackingId);
        }
        taken = true;
    }

    /**
     * Returns whether any row of a range of row ids is left, taken out by no committed transaction.
     */
    boolean anyBetween(long afterId, long lastId) throws SQLException {
        PreparedStatement select = transaction.statement(ANY_BETWEEN);
        select.setLong(1, afterId);
        select.setLong(2, lastId);
        try (ResultSet row = select.executeQuery()) {
            return row.next();
        }
    }

    /** Returns what the opens taken out since the last {@link #writeTaken} add up to, by email. */
    Map<String, FoldedOpens> summarizeTaken() throws SQLException {
        Map<String, FoldedOpens> summaries = new TreeMap<>();
        if (!taken) {
            return summaries;
        }
        try (ResultSet row = transaction.statement(SUMMARIZE).executeQuery()) {
            while (row.next()) {
                summaries
                        .computeIfAbsent(row.getString(1), id -> new FoldedOpens())
                        .add(
                                row.getLong(2),
                                row.getLong(3),
                                row.getLong(4),
                                row.getLong(5),
                                Sql.nullableLong(row, 6),
                                row.getLong(7));
            }
        }
        return summaries;
    }

    /** Drops the taken opens of an email that does not exist: they keep no row. */
    void dropTakenOf(String trackingId) throws SQLException {
        run(DROP_OF_EMAIL, trackingId);
    }

    /** Keeps the rows of only the oldest {@code count} taken opens of an email. */
    void keepOldestTakenOf(String trackingId, long count) throws SQLException {
        PreparedStatement delete = transaction.statement(DROP_BEYOND);
        delete.setString(1, trackingId);
        delete.setString(2, trackingId);
        delete.setLong(3, count);
        delete.executeUpdate();
    }

    /**
     * Writes the rows of the taken opens that are kept into {@code et_open}, email by email, each
     * email's oldest first.
     */
    void writeTaken() throws SQLException {
        if (!taken) {
            return;
        }
        transaction.statement(WRITE_ROWS).executeUpdate();
        transaction.statement(CLEAR).executeUpdate();
        taken = false;
    }

    private Long copyOldest(long afterId, long lastId, int limit) throws SQLException {
        Long last = lastOfOldest(afterId, lastId, limit);
        if (last != null) {
            runRange(COPY_RANGE, afterId, last);
            runRange(DELETE_RANGE, afterId, last);
        }
        return last;
    }

    /** Returns the row id of the last of the oldest rows of a range, or null when it has none. */
    private Long lastOfOldest(long afterId, long lastId, int limit) throws SQLException {
        PreparedStatement select = transaction.statement(LAST_OF_OLDEST);
        select.setLong(1, afterId);
        select.setLong(2, lastId);
        select.setInt(3, limit);
        try (ResultSet row = select.executeQuery()) {
            row.next();
            return Sql.nullableLong(row, 1);
        }
    }

    private Long moveOldest(long afterId, long lastId, int limit) throws SQLException {
        Long last = lastOfOldest(afterId, lastId, limit);
        if (last == null) {
            return null;
        }
        PreparedStatement lock = transaction.statement(LOCK_EMAILS_IN_RANGE);
        lock.setLong(1, afterId);
        lock.setLong(2, last);
        List<String> locked = new ArrayList<>();
        try (ResultSet row = lock.executeQuery()) {
            while (row.next()) {
                locked.add(row.getString(1));
            }
        }

        PreparedStatement move = transaction.statement(MOVE_RANGE);
        move.setLong(1, afterId);
        move.setLong(2, last);
        move.setArray(3, transaction.array("text", locked.toArray()));
        try (ResultSet row = move.executeQuery()) {
            row.next();
            return Sql.nullableLong(row, 1);
        }
    }

    /** Creates the connection's temporary table unless it has it. */
    private void prepareFoldTable() throws SQLException {
        if (foldTableReady) {
            return;
        }
        String create =
                transaction.dialect() == Dialect.POSTGRESQL
                        ? CREATE_FOLD_TABLE_POSTGRESQL
                        : CREATE_FOLD_TABLE_SQLITE;
        transaction.statement(create).executeUpdate();
        foldTableReady = true;
    }

    private void run(String sql, String trackingId) throws SQLException {
        PreparedStatement statement = transaction.statement(sql);
        statement.setString(1, trackingId);
        statement.executeUpdate();
    }

    private void runRange(String sql, long afterId, long lastId) throws SQLException {
        PreparedStatement statement = transaction.statement(sql);
        statement.setLong(1, afterId);
        statement.setLong(2, lastId);
        statement.executeUpdate();
    }

    /**
     * What a fold did.
     *
     * @param lastId the highest row id it took, or the row id it started after when it took none
     * @param left whether rows of its range are left in the journal
     */
    record Fold(long lastId, boolean left) {}
}
