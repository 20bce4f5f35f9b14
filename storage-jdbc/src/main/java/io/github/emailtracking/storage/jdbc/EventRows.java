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
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Writes the rows of a batch's events: batched per kind, except replies, each inserted at once so
 * that a retried Message-ID is known before the reply is counted. Used by the writer thread only.
 */
final class EventRows {

    private static final String INSERT_OPEN =
            """
            INSERT INTO et_open (tracking_id, opened_at, ip_address, user_agent, verdict, reason)
            VALUES (?, ?, ?, ?, ?, ?)\
            """;
    private static final String INSERT_CLICK =
            """
            INSERT INTO et_click (tracking_id, clicked_at, url, ip_address, user_agent, verdict,
                                  reason)
            VALUES (?, ?, ?, ?, ?, ?, ?)\
            """;
    // The unique index on (tracking_id, message_id) decides, inside the database, whether a
    // Message-ID was stored before: also when two stores insert the same one at once, the second
    // waits for the first and then inserts nothing.
    private static final String INSERT_REPLY =
            """
            INSERT INTO et_reply (tracking_id, replied_at, message, attachment_count, message_id)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (tracking_id, message_id) WHERE message_id IS NOT NULL DO NOTHING\
            """;
    private static final String INSERT_REMINDER =
            "INSERT INTO et_reminder (tracking_id, sent_at) VALUES (?, ?)";
    private static final String INSERT_BOUNCE =
            "INSERT INTO et_bounce (tracking_id, bounced_at, bounce_type, reason)"
                    + " VALUES (?, ?, ?, ?)";
    private static final String INSERT_UNSUBSCRIBE =
            "INSERT INTO et_unsubscribe (tracking_id, unsubscribed_at) VALUES (?, ?)";

    private final WriteTransaction transaction;
    private final Set<PreparedStatement> batched = new LinkedHashSet<>();

    EventRows(WriteTransaction transaction) {
        this.transaction = transaction;
    }

    /**
     * Inserts a reply unless the email has one with its Message-ID already.
     *
     * @return whether the reply was inserted; false for a retry
     */
    boolean insertReply(String trackingId, ReplyEvent reply) throws SQLException {
        PreparedStatement insert = transaction.statement(INSERT_REPLY);
        insert.setString(1, trackingId);
        insert.setLong(2, reply.at().toEpochMilli());
        insert.setString(3, reply.message());
        insert.setInt(4, reply.attachmentCount());
        insert.setString(5, reply.messageId());
        return insert.executeUpdate() == 1;
    }

    /** Adds the row of an event other than a reply, to be inserted by {@link #flush}. */
    void add(String trackingId, TrackingEvent event) throws SQLException {
        PreparedStatement insert = transaction.statement(insertFor(event));
        insert.setString(1, trackingId);
        insert.setLong(2, event.at().toEpochMilli());
        if (event instanceof OpenEvent open) {
            insert.setString(3, open.ipAddress());
            insert.setString(4, open.userAgent());
            Sql.setClassification(insert, 5, open.classification());
        } else if (event instanceof ClickEvent click) {
            insert.setString(3, click.url());
            insert.setString(4, click.ipAddress());
            insert.setString(5, click.userAgent());
            Sql.setClassification(insert, 6, click.classification());
        } else if (event instanceof BounceEvent bounce) {
            insert.setString(3, bounce.type() == BounceType.HARD ? "hard" : "soft");
            insert.setString(4, bounce.reason());
        }
        insert.addBatch();
        batched.add(insert);
    }

    /** Inserts the rows added so far. */
    void flush() throws SQLException {
        for (PreparedStatement insert : batched) {
            insert.executeBatch();
        }
        batched.clear();
    }

    private static String insertFor(TrackingEvent event) {
        if (event instanceof OpenEvent) {
            return INSERT_OPEN;
        }
        if (event instanceof ClickEvent) {
            return INSERT_CLICK;
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
        throw new IllegalArgumentException("not a batched kind of event: " + event.getClass());
    }
}
