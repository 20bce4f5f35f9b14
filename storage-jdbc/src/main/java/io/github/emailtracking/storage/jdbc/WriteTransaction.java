package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.AttachmentInfo;
import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.TrackedEmail;
import io.github.emailtracking.api.TrackingEvent;
import io.github.emailtracking.api.spi.RecipientKeys;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The one transaction a batch of writes runs in. Campaigns, emails, attachments' chunks and
 * settings are written as they come; opens are appended to the journal by {@link #finish}; other
 * events, and the opens folded from the journal, are collected per email and written by {@link
 * #finish}, together with the aggregates they change, and so are the descriptions of completed
 * attachments. Used by the writer thread only.
 */
final class WriteTransaction implements AutoCloseable {

    private static final String INSERT_CAMPAIGN =
            "INSERT INTO et_campaign (campaign_id, name, owner, tenant, created_at)"
                    + " VALUES (?, ?, ?, ?, ?)";
    private static final String INSERT_CAMPAIGN_TOTALS =
            "INSERT INTO et_campaign_totals (campaign_id) VALUES (?)";
    private static final String INSERT_EMAIL =
            """
            INSERT INTO et_email (tracking_id, campaign_id, recipient_email, recipient_key,
                                  recipient_fold, message_id, sent_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING\
            """;
    private static final String SELECT_EMAIL_EXISTS =
            "SELECT 1 FROM et_email WHERE tracking_id = ?";
    private static final String INSERT_LINK =
            "INSERT INTO et_link (tracking_id, url_key, url) VALUES (?, ?, ?)";
    private static final String INSERT_CHUNK =
            "INSERT INTO et_attachment_chunk (attachment_id, tracking_id, chunk_no, content,"
                    + " created_at) VALUES (?, ?, ?, ?, ?)";
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
    // An email stored before emails had a folded key is found as it was: by its address
    // lower-cased.
    private static final String SELECT_EMAILS_OF_RECIPIENT =
            """
            SELECT tracking_id FROM et_email
             WHERE recipient_fold = ? OR (recipient_fold IS NULL AND recipient_key = ?)
             ORDER BY tracking_id%s%s\
            """;
    // A link that no other email of the campaign registered is the email's own, and may carry its
    // recipient's address: its clicks leave the campaign's top links.
    private static final String DELETE_OWN_LINK_CLICKS =
            """
            DELETE FROM et_campaign_link
             WHERE campaign_id = (SELECT campaign_id FROM et_email WHERE tracking_id = ?)
               AND url_key IN (SELECT url_key FROM et_link WHERE tracking_id = ?)
               AND NOT EXISTS (SELECT 1
                                 FROM et_link other
                                 JOIN et_email e ON e.tracking_id = other.tracking_id
                                WHERE other.url_key = et_campaign_link.url_key
                                  AND other.tracking_id <> ?
                                  AND e.campaign_id = et_campaign_link.campaign_id)\
            """;
    private static final String DELETE_LINKS_OF_EMAIL = "DELETE FROM et_link WHERE tracking_id = ?";
    private static final String DELETE_CHUNKS_OF_EMAIL =
            """
            DELETE FROM et_attachment_chunk
             WHERE attachment_id IN (SELECT attachment_id FROM et_attachment
                                      WHERE tracking_id = ?)\
            """;
    // Also the chunks of an upload that a crash cut off, which no attachment row leads to.
    private static final String DELETE_UPLOADED_CHUNKS_OF_EMAIL =
            "DELETE FROM et_attachment_chunk WHERE tracking_id = ?";
    private static final String DELETE_ATTACHMENTS_OF_EMAIL =
            "DELETE FROM et_attachment WHERE tracking_id = ?";
    private static final String SELECT_ATTACHMENTS_OF_EMAIL =
            "SELECT attachment_id FROM et_attachment WHERE tracking_id = ? AND chunk_count = 0";
    private static final String DELETE_EMAIL = "DELETE FROM et_email WHERE tracking_id = ?";
    private static final String INSERT_SETTING =
            "INSERT INTO et_setting (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING";
    private static final String SELECT_SETTING = "SELECT value FROM et_setting WHERE name = ?";

    private final Connection connection;
    private final Dialect dialect;
    private final long maxEventsPerEmail;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<String, EmailChange> changes = new TreeMap<>();
    private final CampaignTally tally = new CampaignTally();
    private final OpenJournal journal = new OpenJournal(this);
    private final AttachmentCompletions attachments = new AttachmentCompletions(this);

    /**
     * @param maxEventsPerEmail how many open rows, and how many click rows, an email keeps at most
     */
    WriteTransaction(Connection connection, Dialect dialect, long maxEventsPerEmail) {
        this.connection = connection;
        this.dialect = dialect;
        this.maxEventsPerEmail = maxEventsPerEmail;
    }

    /** Returns the database's dialect. */
    Dialect dialect() {
        return dialect;
    }

    /**
     * Bounds how long the rest of this transaction waits for a lock that another holds, where the
     * database would wait without end (see {@link Dialect#limitLockWait}).
     */
    void limitLockWait(Duration wait) throws SQLException {
        dialect.limitLockWait(connection, wait);
    }

    /** Returns an SQL array of the database's {@code type} holding {@code values}. */
    Array array(String type, Object[] values) throws SQLException {
        return connection.createArrayOf(type, values);
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
        insert.setString(4, campaign.tenant());
        insert.setLong(5, campaign.createdAt().toEpochMilli());
        insert.executeUpdate();

        PreparedStatement totals = statement(INSERT_CAMPAIGN_TOTALS);
        totals.setString(1, campaign.id().value());
        totals.executeUpdate();
    }

    /**
     * Inserts an email with its links and counts it as sent, unless its tracking id or its
     * Message-ID is taken. The unique keys decide, so that of two emails with one Message-ID
     * inserted at once, by this batch or by another store, exactly one is stored; the other inserts
     * nothing and fails nothing else in the batch.
     */
    EmailInsert insertEmail(TrackedEmail email, Set<String> links) throws SQLException {
        PreparedStatement insert = statement(INSERT_EMAIL);
        insert.setString(1, email.trackingId().value());
        insert.setString(2, email.campaignId().value());
        insert.setString(3, email.recipientEmail());
        insert.setString(4, email.recipientEmail().toLowerCase(Locale.ROOT));
        insert.setString(5, RecipientKeys.of(email.recipientEmail()));
        insert.setString(6, email.messageId());
        insert.setLong(7, email.sentAt().toEpochMilli());
        if (insert.executeUpdate() == 0) {
            return emailExists(email.trackingId().value())
                    ? EmailInsert.TRACKING_ID_TAKEN
                    : EmailInsert.MESSAGE_ID_TAKEN;
        }

        if (!links.isEmpty()) {
            insertLinks(email.trackingId().value(), links);
        }
        tally.countSent(email.campaignId().value());
        return EmailInsert.STORED;
    }

    /**
     * Adds an event to be written by {@link #finish}: an open to the journal, any other event in
     * full.
     *
     * @return whether the event was stored, to be asked once the batch is committed
     */
    BooleanSupplier record(TrackingEvent event) throws SQLException {
        if (event instanceof OpenEvent open) {
            return journal.append(open);
        }
        return collect(event);
    }

    /**
     * Takes the oldest opens of a range of row ids out of the journal, to be written in full by
     * {@link #finish}.
     *
     * @param afterId the row id after which to start
     * @param lastId the highest row id to fold
     * @param limit how many opens to fold at most
     */
    OpenJournal.Fold foldJournal(long afterId, long lastId, int limit) throws SQLException {
        journal.flush();
        long last = journal.takeOldest(afterId, lastId, limit);
        return new OpenJournal.Fold(last, journal.anyBetween(afterId, lastId));
    }

    /** Inserts a chunk of the upload of an attachment of the email {@code trackingId}. */
    void insertChunk(
            String attachmentId, String trackingId, int chunkNo, byte[] content, long createdAt)
            throws SQLException {
        PreparedStatement insert = statement(INSERT_CHUNK);
        insert.setString(1, attachmentId);
        insert.setString(2, trackingId);
        insert.setInt(3, chunkNo);
        insert.setBytes(4, content);
        insert.setLong(5, createdAt);
        insert.executeUpdate();
    }

    /**
     * Adds the description of an attachment whose chunks are written, to be written by {@link
     * #finish} (see {@link AttachmentCompletions}).
     *
     * @param contentSha256 the SHA-256 of the content
     * @return the description of the attachment the email keeps, to be asked once the batch is
     *     committed: this one, or the earlier file of the same name and content; it throws {@link
     *     io.github.emailtracking.api.StoreException}, nothing being written, when another
     *     attachment has the id or some of the chunks are gone, swept as orphans by a store
     *     starting meanwhile
     */
    Supplier<AttachmentInfo> completeAttachment(
            AttachmentInfo info, int chunkCount, byte[] contentSha256) {
        return attachments.add(info, chunkCount, contentSha256);
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

    /**
     * Deletes every email of a recipient with its links, events and attachments, and the clicks of
     * its own links from the campaigns' top links; the other aggregates stay, and count the opens
     * of the emails still in the journal, which are folded first. The emails' rows are locked
     * first, so that an event another store records for one of them at the same time either comes
     * before and is deleted too, or finds no email. An open is the exception: its append checks
     * that the email exists without locking it, so opens that another store appends while this runs
     * stay in the journal after it, until a fold drops them, within about a second.
     *
     * @param attachmentIds receives the ids of the deleted attachments that have no chunks in the
     *     database: their bytes, kept outside it unless they are empty, are to be deleted once this
     *     commits
     * @return how many emails were deleted
     */
    int eraseRecipient(String recipientEmail, List<String> attachmentIds) throws SQLException {
        List<String> emails = lockEmailsOf(recipientEmail);
        for (String trackingId : emails) {
            journal.takeOf(trackingId);
        }
        writeCollected();
        // A click earlier in the batch adds to a link's clicks at the flush: before the erase
        // takes the link out of the top links, not after, which would put it back. A file
        // completed earlier in the batch is written now, so that the erase deletes it too.
        tally.flush(this);
        attachments.write();

        for (String trackingId : emails) {
            attachmentIds.addAll(attachmentsOf(trackingId));
            eraseEmail(trackingId);
        }
        return emails.size();
    }

    /**
     * Deletes the events older than a cutoff among a window of row ids of one table.
     *
     * @param fromId the first row id of the window
     * @param toId the row id after the window's last
     * @param cutoff the time, in epoch milliseconds, before which an event is deleted
     * @return how many rows were deleted
     */
    int deleteEventsBefore(EventTable table, long fromId, long toId, long cutoff)
            throws SQLException {
        PreparedStatement delete = statement(table.deleteBefore());
        delete.setLong(1, fromId);
        delete.setLong(2, toId);
        delete.setLong(3, cutoff);
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

    /**
     * Writes the collected events and every aggregate the batch changed, then the attachments it
     * completes.
     */
    void finish() throws SQLException {
        writeCollected();
        journal.flush();
        tally.flush(this);
        attachments.write();
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

    private BooleanSupplier collect(TrackingEvent event) {
        String trackingId = event.trackingId().value();
        EmailChange change = changes.computeIfAbsent(trackingId, EmailChange::new);
        change.add(event);
        return change::stored;
    }

    /**
     * Writes the events collected so far and the opens taken out of the journal, with the
     * aggregates they change but the tally.
     */
    private void writeCollected() throws SQLException {
        for (Map.Entry<String, FoldedOpens> opens : journal.summarizeTaken().entrySet()) {
            changes.computeIfAbsent(opens.getKey(), EmailChange::new).addFolded(opens.getValue());
        }
        new EmailUpdates(this, tally, journal, maxEventsPerEmail).apply(changes.values());
        changes.clear();
    }

    private boolean emailExists(String trackingId) throws SQLException {
        PreparedStatement select = statement(SELECT_EMAIL_EXISTS);
        select.setString(1, trackingId);
        try (ResultSet row = select.executeQuery()) {
            return row.next();
        }
    }

    private List<String> lockEmailsOf(String recipientEmail) throws SQLException {
        String sql =
                SELECT_EMAILS_OF_RECIPIENT.formatted(
                        dialect.codePointOrder(), dialect.lockingRead());
        PreparedStatement select = statement(sql);
        select.setString(1, RecipientKeys.of(recipientEmail));
        select.setString(2, recipientEmail.toLowerCase(Locale.ROOT));
        List<String> emails = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                emails.add(row.getString(1));
            }
        }
        return emails;
    }

    /** Deletes one email's rows, those that refer to it first. */
    private List<String> attachmentsOf(String trackingId) throws SQLException {
        PreparedStatement select = statement(SELECT_ATTACHMENTS_OF_EMAIL);
        select.setString(1, trackingId);
        List<String> ids = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                ids.add(row.getString(1));
            }
        }
        return ids;
    }

    private void eraseEmail(String trackingId) throws SQLException {
        for (EventTable table : EventTable.values()) {
            deleteOf(table.deleteOfEmail(), trackingId);
        }
        deleteOwnLinkClicks(trackingId);
        deleteOf(DELETE_LINKS_OF_EMAIL, trackingId);
        deleteOf(DELETE_CHUNKS_OF_EMAIL, trackingId);
        deleteOf(DELETE_UPLOADED_CHUNKS_OF_EMAIL, trackingId);
        deleteOf(DELETE_ATTACHMENTS_OF_EMAIL, trackingId);
        deleteOf(DELETE_EMAIL, trackingId);
    }

    private void deleteOwnLinkClicks(String trackingId) throws SQLException {
        PreparedStatement delete = statement(DELETE_OWN_LINK_CLICKS);
        for (int parameter = 1; parameter <= 3; parameter++) {
            delete.setString(parameter, trackingId);
        }
        delete.executeUpdate();
    }

    private void deleteOf(String sql, String trackingId) throws SQLException {
        PreparedStatement delete = statement(sql);
        delete.setString(1, trackingId);
        delete.executeUpdate();
    }

    private void insertLinks(String trackingId, Set<String> links) throws SQLException {
        PreparedStatement insert = statement(INSERT_LINK);
        for (String url : links) {
            insert.setString(1, trackingId);
            insert.setBytes(2, Sha256.of(url));
            insert.setString(3, url);
            insert.addBatch();
        }
        insert.executeBatch();
    }
}
