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
import java.util.List;

/**
 * Applies a batch's events to their emails: one update per email that also tells whether the email
 * exists, how many opens and clicks it has had and what its firsts were; then the event rows; then
 * the firsts and the campaign aggregates that the events which counted change.
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
    private final EventRows rows;
    private final long maxEventsPerEmail;

    /**
     * @param maxEventsPerEmail how many open rows, and how many click rows, an email keeps at most
     */
    EmailUpdates(WriteTransaction transaction, CampaignTally tally, long maxEventsPerEmail) {
        this.transaction = transaction;
        this.tally = tally;
        this.rows = new EventRows(transaction);
        this.maxEventsPerEmail = maxEventsPerEmail;
    }

    /** Applies each change, in the order given, then inserts the batched event rows. */
    void apply(Collection<EmailChange> changes) throws SQLException {
        for (EmailChange change : changes) {
            apply(change);
        }
        rows.flush();
    }

    private void apply(EmailChange change) throws SQLException {
        EmailRow email = bumpCounters(change);
        if (email == null) {
            return;
        }
        change.markStored();

        List<TrackingEvent> counted = writeRows(change, email);

        Firsts after = email.firsts().earliest(Firsts.of(counted));
        if (!after.equals(email.firsts())) {
            setFirsts(change.trackingId(), after);
        }
        tally.add(email, after, counted);
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
            if (!row.next()) {
                return null;
            }
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
    }

    /**
     * Writes the rows of the change's events: opens and clicks up to the cap, each reply unless it
     * is a retry.
     *
     * @return the events that count: every one but the retried replies
     */
    private List<TrackingEvent> writeRows(EmailChange change, EmailRow email) throws SQLException {
        String trackingId = change.trackingId();
        RowCap cap =
                new RowCap(
                        maxEventsPerEmail,
                        email.openCount() - change.opens(),
                        email.clickCount() - change.clicks());
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
        update.executeUpdate();
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
