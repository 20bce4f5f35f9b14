package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.BounceEvent;
import io.github.emailtracking.api.BounceType;
import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.ReminderEvent;
import io.github.emailtracking.api.ReplyEvent;
import io.github.emailtracking.api.TrackingEvent;
import io.github.emailtracking.api.UnsubscribeEvent;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Applies a batch's events to their emails: one update per email that also tells whether the email
 * exists and what its firsts were, then the event rows, then the campaign aggregates.
 *
 * <p>Nothing is read before it is written: the counter update locks the email's row and returns it,
 * so that the decision whether an event is an email's first is made inside the transaction, on the
 * row's own values, and holds with several stores writing to one database.
 */
final class EmailUpdates {

    private static final String BUMP_COUNTERS =
            """
            UPDATE et_email
               SET open_count = open_count + ?, click_count = click_count + ?,
                   last_open_at = CASE WHEN ? > 0 AND (last_open_at IS NULL OR last_open_at < ?)
                                       THEN ? ELSE last_open_at END
             WHERE tracking_id = ?
            RETURNING campaign_id, sent_at, first_open_at, first_click_at, replied_at,
                      reminder_sent_at, bounced_at, unsubscribed_at\
            """;
    private static final String SET_FIRSTS =
            """
            UPDATE et_email
               SET first_open_at = ?, first_click_at = ?, replied_at = ?, reminder_sent_at = ?,
                   bounced_at = ?, unsubscribed_at = ?
             WHERE tracking_id = ?\
            """;
    private static final String INSERT_OPEN =
            "INSERT INTO et_open (tracking_id, opened_at, ip_address, user_agent)"
                    + " VALUES (?, ?, ?, ?)";
    private static final String INSERT_CLICK =
            "INSERT INTO et_click (tracking_id, clicked_at, url, ip_address, user_agent)"
                    + " VALUES (?, ?, ?, ?, ?)";
    private static final String INSERT_REPLY =
            "INSERT INTO et_reply (tracking_id, replied_at, message, attachment_count)"
                    + " VALUES (?, ?, ?, ?)";
    private static final String INSERT_REMINDER =
            "INSERT INTO et_reminder (tracking_id, sent_at) VALUES (?, ?)";
    private static final String INSERT_BOUNCE =
            "INSERT INTO et_bounce (tracking_id, bounced_at, bounce_type, reason)"
                    + " VALUES (?, ?, ?, ?)";
    private static final String INSERT_UNSUBSCRIBE =
            "INSERT INTO et_unsubscribe (tracking_id, unsubscribed_at) VALUES (?, ?)";

    private final WriteTransaction transaction;
    private final CampaignTally tally;
    private final Set<PreparedStatement> eventInserts = new LinkedHashSet<>();

    EmailUpdates(WriteTransaction transaction, CampaignTally tally) {
        this.transaction = transaction;
        this.tally = tally;
    }

    /** Applies each change, in the order given, then inserts the events of the stored ones. */
    void apply(Collection<EmailChange> changes) throws SQLException {
        for (EmailChange change : changes) {
            apply(change);
        }
        for (PreparedStatement insert : eventInserts) {
            insert.executeBatch();
        }
    }

    private void apply(EmailChange change) throws SQLException {
        EmailRow email = bumpCounters(change);
        if (email == null) {
            return;
        }
        change.markStored();

        Firsts after = email.firsts().earliest(change.firsts());
        if (!after.equals(email.firsts())) {
            setFirsts(change.trackingId(), after);
        }
        tally.add(email, after, change.events());
        for (TrackingEvent event : change.events()) {
            addEventRow(change.trackingId(), event);
        }
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
                            Sql.nullableLong(row, 3),
                            Sql.nullableLong(row, 4),
                            Sql.nullableLong(row, 5),
                            Sql.nullableLong(row, 6),
                            Sql.nullableLong(row, 7),
                            Sql.nullableLong(row, 8));
            return new EmailRow(row.getString(1), row.getLong(2), firsts);
        }
    }

    private void setFirsts(String trackingId, Firsts firsts) throws SQLException {
        PreparedStatement update = transaction.statement(SET_FIRSTS);
        Sql.setNullableLong(update, 1, firsts.open());
        Sql.setNullableLong(update, 2, firsts.click());
        Sql.setNullableLong(update, 3, firsts.reply());
        Sql.setNullableLong(update, 4, firsts.reminder());
        Sql.setNullableLong(update, 5, firsts.bounce());
        Sql.setNullableLong(update, 6, firsts.unsubscribe());
        update.setString(7, trackingId);
        update.executeUpdate();
    }

    private void addEventRow(String trackingId, TrackingEvent event) throws SQLException {
        PreparedStatement insert = transaction.statement(insertFor(event));
        insert.setString(1, trackingId);
        insert.setLong(2, event.at().toEpochMilli());
        if (event instanceof OpenEvent open) {
            insert.setString(3, open.ipAddress());
            insert.setString(4, open.userAgent());
        } else if (event instanceof ClickEvent click) {
            insert.setString(3, click.url());
            insert.setString(4, click.ipAddress());
            insert.setString(5, click.userAgent());
        } else if (event instanceof ReplyEvent reply) {
            insert.setString(3, reply.message());
            insert.setInt(4, reply.attachmentCount());
        } else if (event instanceof BounceEvent bounce) {
            insert.setString(3, bounce.type() == BounceType.HARD ? "hard" : "soft");
            insert.setString(4, bounce.reason());
        }
        insert.addBatch();
        eventInserts.add(insert);
    }

    private static String insertFor(TrackingEvent event) {
        if (event instanceof OpenEvent) {
            return INSERT_OPEN;
        }
        if (event instanceof ClickEvent) {
            return INSERT_CLICK;
        }
        if (event instanceof ReplyEvent) {
            return INSERT_REPLY;
        }
        if (event instanceof ReminderEvent) {
            return INSERT_REMINDER;
        }
        if (event instanceof BounceEvent) {
            return INSERT_BOUNCE;
        }
        if (event instanceof UnsubscribeEvent) {
            return INSERT_UNSUBSCRIBE;
        }
        throw new IllegalArgumentException("unknown kind of event: " + event.getClass());
    }
}
