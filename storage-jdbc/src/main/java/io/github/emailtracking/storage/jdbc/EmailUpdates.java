package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.ReplyEvent;
import io.github.emailtracking.api.TrackingEvent;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a batch's events, and the opens it folds from the journal, to their emails: one update
 * per email that also tells whether the email exists, how many opens and clicks it has had and what
 * its firsts were; then the event rows; then the firsts and the campaign aggregates that the events
 * which counted change.
 *
 * <p>Nothing is read before it is written: the counter update locks the email's row and returns it,
 * so that the decisions whether an event is an email's first, whether its row is within the cap,
 * and whether a reply's Message-ID was seen before are made inside the transaction, on the row's
 * own values, and hold with several stores writing to one database.
 */
final class EmailUpdates {

    private static final String BUMP_COUNTERS =
            """
            UPDATE et_email
               SET open_count = open_count + ?, click_count = click_count + ?,
                   last_open_at = CASE WHEN ? > 0 AND (last_open_at IS NULL OR last_open_at < ?)
                                       THEN ? ELSE last_open_at END
             WHERE tracking_id = ?
            RETURNING campaign_id, sent_at, open_count, click_count, first_open_at,
                      first_click_at, replied_at, reminder_sent_at, bounced_at, unsubscribed_at,
                      person_first_open_at, person_first_click_at\
            """;
    // PostgreSQL: the counters of every email of a batch in one statement, after locking their rows
    // in one order (the same as single updates and erasure take), so that two stores never wait on
    // each other in a circle. One round trip instead of one per email. The ids are joined rather
    // than matched with = ANY: for a batch that names a good share of a small table, the planner
    // scans the table and compares every row with every id.
    private static final String LOCK_EMAILS =
            """
            SELECT e.tracking_id
              FROM et_email AS e JOIN unnest(?::text[]) AS v (tracking_id)
                ON e.tracking_id = v.tracking_id
             ORDER BY e.tracking_id COLLATE "C" FOR NO KEY UPDATE OF e\
            """;
    private static final String BUMP_ALL_COUNTERS =
            """
            UPDATE et_email AS e
               SET open_count = e.open_count + v.opens, click_count = e.click_count + v.clicks,
                   last_open_at = CASE WHEN v.opens > 0
                                            AND (e.last_open_at IS NULL
                                                 OR e.last_open_at < v.latest_open)
                                       THEN v.latest_open ELSE e.last_open_at END
              FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::bigint[])
                   AS v (tracking_id, opens, clicks, latest_open)
             WHERE e.tracking_id = v.tracking_id
            RETURNING e.campaign_id, e.sent_at, e.open_count, e.click_count, e.first_open_at,
                      e.first_click_at, e.replied_at, e.reminder_sent_at, e.bounced_at,
                      e.unsubscribed_at, e.person_first_open_at, e.person_first_click_at,
                      e.tracking_id\
            """;
    private static final String SET_FIRSTS =
            """
            UPDATE et_email
               SET first_open_at = ?, first_click_at = ?, replied_at = ?, reminder_sent_at = ?,
                   bounced_at = ?, unsubscribed_at = ?, person_first_open_at = ?,
                   person_first_click_at = ?
             WHERE tracking_id = ?\
            """;

    private final WriteTransaction transaction;
    private final CampaignTally tally;
    private final OpenJournal journal;
    private final EventRows rows;
    private final long maxEventsPerEmail;
    private boolean firstsChanged;

    /**
     * @param journal the journal whose taken opens the changes hold
     * @param maxEventsPerEmail how many open rows, and how many click rows, an email keeps at most
     */
    EmailUpdates(
            WriteTransaction transaction,
            CampaignTally tally,
            OpenJournal journal,
            long maxEventsPerEmail) {
        this.transaction = transaction;
        this.tally = tally;
        this.journal = journal;
        this.rows = new EventRows(transaction);
        this.maxEventsPerEmail = maxEventsPerEmail;
    }

    /**
     * Applies each change, in the order given, then inserts the batched event rows, the rows of the
     * folded opens, and writes the changed firsts. Folded opens of an email that does not exist
     * keep no row.
     */
    void apply(Collection<EmailChange> changes) throws SQLException {
        Map<String, EmailRow> bumped =
                transaction.dialect() == Dialect.POSTGRESQL && changes.size() > 1
                        ? bumpAllCounters(changes)
                        : null;
        for (EmailChange change : changes) {
            EmailRow email =
                    bumped == null ? bumpCounters(change) : bumped.get(change.trackingId());
            if (email != null) {
                apply(change, email);
            } else if (change.folded() != null) {
                journal.dropTakenOf(change.trackingId());
            }
        }
        rows.flush();
        journal.writeTaken();
        if (firstsChanged) {
            transaction.statement(SET_FIRSTS).executeBatch();
        }
    }

    private void apply(EmailChange change, EmailRow email) throws SQLException {
        change.markStored();

        FoldedOpens folded = change.folded();
        long opensBefore = email.openCount() - change.opens();
        long foldedCount = 0;
        if (folded != null) {
            capFoldedRows(change.trackingId(), opensBefore, folded.count());
            foldedCount = folded.count();
        }
        List<TrackingEvent> counted = writeRows(change, email, opensBefore + foldedCount);

        Firsts after = email.firsts().earliest(Firsts.of(counted));
        if (folded != null) {
            after = after.earliest(folded.firsts());
        }
        if (!after.equals(email.firsts())) {
            setFirsts(change.trackingId(), after);
        }
        tally.add(email, after, counted);
        if (folded != null) {
            tally.addFolded(email.campaignId(), folded);
        }
    }

    /**
     * Keeps the rows of only as many folded opens as the cap leaves room for. They are older than
     * any open recorded in the batch, so they are numbered first.
     */
    private void capFoldedRows(String trackingId, long opensBefore, long folded)
            throws SQLException {
        long room = Math.max(0, maxEventsPerEmail - opensBefore);
        if (room < folded) {
            journal.keepOldestTakenOf(trackingId, room);
        }
    }

    /**
     * Updates the counters of every email of the batch at once; returns the rows of those that
     * exist, by tracking id.
     */
    private Map<String, EmailRow> bumpAllCounters(Collection<EmailChange> changes)
            throws SQLException {
        int size = changes.size();
        String[] ids = new String[size];
        Long[] opens = new Long[size];
        Long[] clicks = new Long[size];
        Long[] latestOpens = new Long[size];
        int i = 0;
        for (EmailChange change : changes) {
            ids[i] = change.trackingId();
            opens[i] = change.opens();
            clicks[i] = change.clicks();
            latestOpens[i] = change.latestOpen();
            i++;
        }

        PreparedStatement lock = transaction.statement(LOCK_EMAILS);
        lock.setArray(1, transaction.array("text", ids));
        lock.executeQuery().close();

        PreparedStatement update = transaction.statement(BUMP_ALL_COUNTERS);
        update.setArray(1, transaction.array("text", ids));
        update.setArray(2, transaction.array("bigint", opens));
        update.setArray(3, transaction.array("bigint", clicks));
        update.setArray(4, transaction.array("bigint", latestOpens));
        Map<String, EmailRow> emails = new HashMap<>();
        try (ResultSet row = update.executeQuery()) {
            while (row.next()) {
                emails.put(row.getString(13), emailRow(row));
            }
        }
        return emails;
    }

    /** Updates the counters; returns the row as it was, or null when there is no such email. */
    private EmailRow bumpCounters(EmailChange change) throws SQLException {
        PreparedStatement update = transaction.statement(BUMP_COUNTERS);
        update.setLong(1, change.opens());
        update.setLong(2, change.clicks());
        update.setLong(3, change.opens());
        update.setLong(4, change.latestOpen());
        update.setLong(5, change.latestOpen());
        update.setString(6, change.trackingId());
        try (ResultSet row = update.executeQuery()) {
            return row.next() ? emailRow(row) : null;
        }
    }

    /** Reads an email's row from the columns both counter updates return, in their order. */
    private static EmailRow emailRow(ResultSet row) throws SQLException {
        Firsts firsts =
                new Firsts(
                        Sql.nullableLong(row, 5),
                        Sql.nullableLong(row, 6),
                        Sql.nullableLong(row, 7),
                        Sql.nullableLong(row, 8),
                        Sql.nullableLong(row, 9),
                        Sql.nullableLong(row, 10),
                        Sql.nullableLong(row, 11),
                        Sql.nullableLong(row, 12));
        return new EmailRow(
                row.getString(1), row.getLong(2), row.getLong(3), row.getLong(4), firsts);
    }

    /**
     * Writes the rows of the change's events: opens and clicks up to the cap, each reply unless it
     * is a retry.
     *
     * @param opensBefore how many opens the email had before these events
     * @return the events that count: every one but the retried replies
     */
    private List<TrackingEvent> writeRows(EmailChange change, EmailRow email, long opensBefore)
            throws SQLException {
        String trackingId = change.trackingId();
        RowCap cap =
                new RowCap(maxEventsPerEmail, opensBefore, email.clickCount() - change.clicks());
        List<TrackingEvent> counted = new ArrayList<>(change.events().size());
        for (TrackingEvent event : change.events()) {
            if (event instanceof ReplyEvent reply) {
                if (rows.insertReply(trackingId, reply)) {
                    counted.add(reply);
                }
            } else {
                if (cap.keepsRowOf(event)) {
                    rows.add(trackingId, event);
                }
                counted.add(event);
            }
        }
        return counted;
    }

    private void setFirsts(String trackingId, Firsts firsts) throws SQLException {
        PreparedStatement update = transaction.statement(SET_FIRSTS);
        Sql.setNullableLong(update, 1, firsts.open());
        Sql.setNullableLong(update, 2, firsts.click());
        Sql.setNullableLong(update, 3, firsts.reply());
        Sql.setNullableLong(update, 4, firsts.reminder());
        Sql.setNullableLong(update, 5, firsts.bounce());
        Sql.setNullableLong(update, 6, firsts.unsubscribe());
        Sql.setNullableLong(update, 7, firsts.personOpen());
        Sql.setNullableLong(update, 8, firsts.personClick());
        update.setString(9, trackingId);
        update.addBatch();
        firstsChanged = true;
    }

    /**
     * Numbers an email's opens and clicks from its counters, so that only the first ones keep a
     * row. The counters count every event ever recorded, so rows deleted for retention or never
     * written do not make room for new ones.
     */
    private static final class RowCap {

        private final long max;
        private long opens;
        private long clicks;

        RowCap(long max, long opensBefore, long clicksBefore) {
            this.max = max;
            this.opens = opensBefore;
            this.clicks = clicksBefore;
        }

        boolean keepsRowOf(TrackingEvent event) {
            if (event instanceof OpenEvent) {
                return ++opens <= max;
            }
            if (event instanceof ClickEvent) {
                return ++clicks <= max;
            }
            return true;
        }
    }
}
