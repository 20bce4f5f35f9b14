package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.TrackingId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The rows of {@code et_open_journal} in one transaction: opens appended as they arrive, and taken
 * out again, oldest first, to be folded into the email's counters, its event rows and the
 * campaign's aggregates. Used by the writer thread only.
 *
 * <p>An open is appended only when its email exists, which the insert itself checks, so the answer
 * to the caller is the same as for an open written in full. Appending costs a transaction a few
 * pages for many opens; folding them later, many at a time, touches each email's pages once for all
 * of its opens.
 */
final class OpenJournal {

    private static final String APPEND =
            """
            INSERT INTO et_open_journal (tracking_id, opened_at, ip_address, user_agent, verdict,
                                         reason)
            SELECT ?, ?, ?, ?, ?, ?
             WHERE EXISTS (SELECT 1 FROM et_email WHERE tracking_id = ?)\
            """;
    private static final String COLUMNS =
            "journal_id, tracking_id, opened_at, ip_address, user_agent, verdict, reason";
    // Several stores on one PostgreSQL database may take out the same rows at once: the second
    // waits for the first to commit, then finds them deleted and returns only the others.
    // Starting after the last row a fold took spares PostgreSQL's index scan the rows deleted
    // before, which stay behind as dead entries until the table is vacuumed.
    private static final String TAKE_OLDEST =
            """
            DELETE FROM et_open_journal
             WHERE journal_id IN (SELECT journal_id FROM et_open_journal
                                   WHERE journal_id > ? AND journal_id <= ?
                                   ORDER BY journal_id LIMIT ?)
            RETURNING %s\
            """
                    .formatted(COLUMNS);
    private static final String TAKE_OF_EMAIL =
            "DELETE FROM et_open_journal WHERE tracking_id = ? RETURNING " + COLUMNS;
    private static final String ANY_BETWEEN =
            "SELECT 1 FROM et_open_journal WHERE journal_id > ? AND journal_id <= ? LIMIT 1";

    private final WriteTransaction transaction;
    private final List<Boolean> appended = new ArrayList<>();
    private int batched;

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
        if (batched == appended.size()) {
            return;
        }
        for (int count : transaction.statement(APPEND).executeBatch()) {
            appended.add(count > 0);
        }
    }

    /**
     * Takes out the oldest opens of a range of row ids, and returns them oldest first; the rows are
     * deleted in this transaction.
     *
     * @param afterId the row id after which to start
     * @param lastId the highest row id to take
     * @param limit how many rows to take at most
     */
    List<JournalRow> takeOldest(long afterId, long lastId, int limit) throws SQLException {
        PreparedStatement delete = transaction.statement(TAKE_OLDEST);
        delete.setLong(1, afterId);
        delete.setLong(2, lastId);
        delete.setInt(3, limit);
        return rows(delete);
    }

    /** Takes out every open of one email, oldest first. */
    List<JournalRow> takeOf(String trackingId) throws SQLException {
        PreparedStatement delete = transaction.statement(TAKE_OF_EMAIL);
        delete.setString(1, trackingId);
        return rows(delete);
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

    private static List<JournalRow> rows(PreparedStatement delete) throws SQLException {
        List<JournalRow> rows = new ArrayList<>();
        try (ResultSet row = delete.executeQuery()) {
            while (row.next()) {
                rows.add(new JournalRow(row.getLong(1), open(row)));
            }
        }
        // A deletion returns its rows in no promised order.
        rows.sort(Comparator.comparingLong(JournalRow::id));
        return rows;
    }

    private static OpenEvent open(ResultSet row) throws SQLException {
        return new OpenEvent(
                new TrackingId(row.getString(2)),
                Instant.ofEpochMilli(row.getLong(3)),
                row.getString(4),
                row.getString(5),
                Sql.classification(row, 6));
    }

    /**
     * An open taken out of the journal.
     *
     * @param id its row id
     * @param open the open
     */
    record JournalRow(long id, OpenEvent open) {}

    /**
     * What a fold did.
     *
     * @param lastId the highest row id it took, or the row id it started after when it took none
     * @param left whether rows of its range are left in the journal
     */
    record Fold(long lastId, boolean left) {}
}
