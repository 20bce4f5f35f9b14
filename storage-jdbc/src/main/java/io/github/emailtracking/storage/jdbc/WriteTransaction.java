package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.AttachmentInfo;
import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.TrackedEmail;
import io.github.emailtracking.api.TrackingEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * The one transaction a batch of writes runs in. Campaigns, emails, attachments and settings are
 * written as they come; events are collected per email and written by {@link #finish}, together
 * with the aggregates they change. Used by the writer thread only.
 */
final class WriteTransaction implements AutoCloseable {

    private static final String INSERT_CAMPAIGN =
            "INSERT INTO et_campaign (campaign_id, name, owner, created_at) VALUES (?, ?, ?, ?)";
    private static final String INSERT_CAMPAIGN_TOTALS =
            "INSERT INTO et_campaign_totals (campaign_id) VALUES (?)";
    private static final String INSERT_EMAIL =
            "INSERT INTO et_email (tracking_id, campaign_id, recipient_email, sent_at)"
                    + " VALUES (?, ?, ?, ?)";
    private static final String INSERT_LINK =
            "INSERT INTO et_link (tracking_id, url_key, url) VALUES (?, ?, ?)";
    private static final String INSERT_CHUNK =
            "INSERT INTO et_attachment_chunk (attachment_id, chunk_no, content, created_at)"
                    + " VALUES (?, ?, ?, ?)";
    private static final String INSERT_ATTACHMENT =
            """
            INSERT INTO et_attachment (attachment_id, tracking_id, file_name, content_type,
                                       file_size, chunk_count, uploaded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)\
            """;
    private static final String DELETE_CHUNKS =
            """
            DELETE FROM et_attachment_chunk
             WHERE attachment_id = ?
               AND NOT EXISTS (SELECT 1 FROM et_attachment WHERE attachment_id = ?)\
            """;
    private static final String DELETE_ORPHAN_CHUNKS =
            """
            DELETE FROM et_attachment_chunk
             WHERE created_at < ?
               AND NOT EXISTS (SELECT 1 FROM et_attachment a
                                WHERE a.attachment_id = et_attachment_chunk.attachment_id)\
            """;
    private static final String INSERT_SETTING =
            "INSERT INTO et_setting (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING";
    private static final String SELECT_SETTING = "SELECT value FROM et_setting WHERE name = ?";

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<String, EmailChange> changes = new TreeMap<>();
    private final CampaignTally tally = new CampaignTally();

    WriteTransaction(Connection connection) {
        this.connection = connection;
    }

    /** Returns a statement prepared on this transaction's connection, once per SQL text. */
    PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    void insertCampaign(Campaign campaign) throws SQLException {
        PreparedStatement insert = statement(INSERT_CAMPAIGN);
        insert.setString(1, campaign.id().value());
        insert.setString(2, campaign.name());
        insert.setString(3, campaign.owner());
        insert.setLong(4, campaign.createdAt().toEpochMilli());
        insert.executeUpdate();

        PreparedStatement totals = statement(INSERT_CAMPAIGN_TOTALS);
        totals.setString(1, campaign.id().value());
        totals.executeUpdate();
    }

    void insertEmail(TrackedEmail email, Set<String> links) throws SQLException {
        PreparedStatement insert = statement(INSERT_EMAIL);
        insert.setString(1, email.trackingId().value());
        insert.setString(2, email.campaignId().value());
        insert.setString(3, email.recipientEmail());
        insert.setLong(4, email.sentAt().toEpochMilli());
        insert.executeUpdate();

        if (!links.isEmpty()) {
            insertLinks(email.trackingId().value(), links);
        }
        tally.countSent(email.campaignId().value());
    }

    /**
     * Adds an event to be written by {@link #finish}.
     *
     * @return whether the event was stored, to be asked once the batch is committed
     */
    BooleanSupplier record(TrackingEvent event) {
        String trackingId = event.trackingId().value();
        EmailChange change = changes.computeIfAbsent(trackingId, EmailChange::new);
        change.add(event);
        return change::stored;
    }

    void insertChunk(String attachmentId, int chunkNo, byte[] content, long createdAt)
            throws SQLException {
        PreparedStatement insert = statement(INSERT_CHUNK);
        insert.setString(1, attachmentId);
        insert.setInt(2, chunkNo);
        insert.setBytes(3, content);
        insert.setLong(4, createdAt);
        insert.executeUpdate();
    }

    void insertAttachment(AttachmentInfo info, int chunkCount) throws SQLException {
        PreparedStatement insert = statement(INSERT_ATTACHMENT);
        insert.setString(1, info.id().value());
        insert.setString(2, info.trackingId().value());
        insert.setString(3, info.fileName());
        insert.setString(4, info.contentType());
        insert.setLong(5, info.fileSize());
        insert.setInt(6, chunkCount);
        insert.setLong(7, info.uploadedAt().toEpochMilli());
        insert.executeUpdate();
    }

    /** Deletes the chunks of an upload that did not complete; a complete one keeps its own. */
    void deleteChunks(String attachmentId) throws SQLException {
        PreparedStatement delete = statement(DELETE_CHUNKS);
        delete.setString(1, attachmentId);
        delete.setString(2, attachmentId);
        delete.executeUpdate();
    }

    /** Deletes chunks that no attachment owns and that were written before the given time. */
    int deleteOrphanChunks(long createdBefore) throws SQLException {
        PreparedStatement delete = statement(DELETE_ORPHAN_CHUNKS);
        delete.setLong(1, createdBefore);
        return delete.executeUpdate();
    }

    /** Stores a setting unless it has a value, and returns the value it has then. */
    String setting(String name, String initialValue) throws SQLException {
        PreparedStatement insert = statement(INSERT_SETTING);
        insert.setString(1, name);
        insert.setString(2, initialValue);
        insert.executeUpdate();

        PreparedStatement select = statement(SELECT_SETTING);
        select.setString(1, name);
        try (ResultSet row = select.executeQuery()) {
            row.next();
            return row.getString(1);
        }
    }

    /** Writes the collected events and every aggregate the batch changed. */
    void finish() throws SQLException {
        new EmailUpdates(this, tally).apply(changes.values());
        tally.flush(this);
    }

    /** Closes the statements; the connection stays open. */
    @Override
    public void close() throws SQLException {
        SQLException failure = null;
        for (PreparedStatement statement : statements.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void insertLinks(String trackingId, Set<String> links) throws SQLException {
        PreparedStatement insert = statement(INSERT_LINK);
        for (String url : links) {
            insert.setString(1, trackingId);
            insert.setBytes(2, UrlKeys.of(url));
            insert.setString(3, url);
            insert.addBatch();
        }
        insert.executeBatch();
    }
}
