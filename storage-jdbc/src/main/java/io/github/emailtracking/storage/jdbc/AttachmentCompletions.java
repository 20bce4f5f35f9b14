package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.AttachmentId;
import io.github.emailtracking.api.AttachmentInfo;
import io.github.emailtracking.api.StoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The attachments a batch completes, written at the end of its transaction in the order of their
 * unique key: the email, the key of the file's name, the SHA-256 of its content. An insert holds
 * its key until the commit, so two stores whose batches complete the same two files in opposite
 * orders would each wait for the other, and PostgreSQL would fail one of them as a deadlock; in one
 * order, the second waits for the first. Files with the same key keep the order they came in. Used
 * by the writer thread only.
 */
final class AttachmentCompletions {

    // A file that the email has already, by name and content, inserts nothing: the unique key
    // decides, also when two stores complete the same file at once.
    private static final String INSERT_ATTACHMENT =
            """
            INSERT INTO et_attachment (attachment_id, tracking_id, file_name, content_type,
                                       file_size, chunk_count, uploaded_at, name_key,
                                       content_sha256)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (tracking_id, name_key, content_sha256) DO NOTHING\
            """;
    private static final String COUNT_CHUNKS =
            "SELECT COUNT(*) FROM et_attachment_chunk WHERE attachment_id = ?";
    private static final String DELETE_CHUNKS =
            "DELETE FROM et_attachment_chunk WHERE attachment_id = ?";
    private static final String SELECT_ID = "SELECT 1 FROM et_attachment WHERE attachment_id = ?";
    private static final String SELECT_SAME_ATTACHMENT =
            """
            SELECT attachment_id, file_name, content_type, file_size, uploaded_at
              FROM et_attachment
             WHERE tracking_id = ? AND name_key = ? AND content_sha256 = ?\
            """;
    private static final Comparator<Completion> KEY_ORDER =
            Comparator.comparing((Completion completion) -> completion.trackingId())
                    .thenComparing(Completion::nameKey, Arrays::compareUnsigned)
                    .thenComparing(Completion::contentSha256, Arrays::compareUnsigned);

    private final WriteTransaction transaction;
    private final List<Completion> pending = new ArrayList<>();

    AttachmentCompletions(WriteTransaction transaction) {
        this.transaction = transaction;
    }

    /** Returns the message that refuses an attachment id another attachment has. */
    static String idTaken(Object attachmentId) {
        return "an attachment with id " + attachmentId + " exists";
    }

    /**
     * Adds the description of an attachment whose chunks are written, to be written by {@link
     * #write}.
     *
     * @return the description the email keeps, to be asked once the batch is committed: this one,
     *     or the earlier file of the same name and content; it throws {@link StoreException}, as
     *     nothing was written, when another attachment has the id or some of the file's chunks are
     *     gone
     */
    Supplier<AttachmentInfo> add(AttachmentInfo info, int chunkCount, byte[] contentSha256) {
        Completion completion =
                new Completion(info, chunkCount, Sha256.of(info.fileName()), contentSha256);
        pending.add(completion);
        return () -> completion.kept.orElseThrow(() -> completion.refusal);
    }

    /** Writes the descriptions added so far, in the order of their keys. */
    void write() throws SQLException {
        pending.sort(KEY_ORDER);
        for (Completion completion : pending) {
            completion.kept = write(completion);
        }
        pending.clear();
    }

    /**
     * Writes one description, which makes the attachment exist; unless the email has a file of the
     * same name and content, in which case the new chunks are deleted and that file stays the only
     * one. Nothing is written when another attachment has the id, or some of the chunks are gone,
     * swept as orphans by a store starting meanwhile.
     */
    private Optional<AttachmentInfo> write(Completion completion) throws SQLException {
        AttachmentInfo info = completion.info;
        // Checked first: the same file sent again under its own id would otherwise pass for a
        // retry, and the chunks of the attachment that has the id be counted as the upload's.
        if (isTaken(info.id().value())) {
            deleteRefusedChunks(completion);
            completion.refusal = new StoreException(idTaken(info.id()));
            return Optional.empty();
        }
        if (chunksOf(info.id().value()) != completion.chunkCount) {
            completion.refusal = chunksGone();
            return Optional.empty();
        }

        PreparedStatement insert = transaction.statement(INSERT_ATTACHMENT);
        insert.setString(1, info.id().value());
        insert.setString(2, info.trackingId().value());
        insert.setString(3, info.fileName());
        insert.setString(4, info.contentType());
        insert.setLong(5, info.fileSize());
        insert.setInt(6, completion.chunkCount);
        insert.setLong(7, info.uploadedAt().toEpochMilli());
        insert.setBytes(8, completion.nameKey);
        insert.setBytes(9, completion.contentSha256);
        if (insert.executeUpdate() == 1) {
            return Optional.of(info);
        }

        transaction.deleteChunks(info.id().value());
        return Optional.of(sameAttachment(completion));
    }

    private AttachmentInfo sameAttachment(Completion completion) throws SQLException {
        AttachmentInfo info = completion.info;
        PreparedStatement select = transaction.statement(SELECT_SAME_ATTACHMENT);
        select.setString(1, info.trackingId().value());
        select.setBytes(2, completion.nameKey);
        select.setBytes(3, completion.contentSha256);
        try (ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                throw new SQLException("the attachment that the new one repeats is missing");
            }
            return new AttachmentInfo(
                    new AttachmentId(row.getString(1)),
                    info.trackingId(),
                    row.getString(2),
                    row.getString(3),
                    row.getLong(4),
                    Sql.instant(row, 5));
        }
    }

    /**
     * Deletes the chunks that an upload refused for its taken id wrote. They are all the id has:
     * had the attachment that has the id any chunk, the upload's first one would have failed.
     */
    private void deleteRefusedChunks(Completion completion) throws SQLException {
        if (completion.chunkCount == 0) {
            return;
        }
        PreparedStatement delete = transaction.statement(DELETE_CHUNKS);
        delete.setString(1, completion.info.id().value());
        delete.executeUpdate();
    }

    private static StoreException chunksGone() {
        return new StoreException(
                "could not store the attachment: part of its content was deleted as left over"
                        + " from an upload that never completed; nothing was stored, send it"
                        + " again");
    }

    private boolean isTaken(String attachmentId) throws SQLException {
        PreparedStatement select = transaction.statement(SELECT_ID);
        select.setString(1, attachmentId);
        try (ResultSet row = select.executeQuery()) {
            return row.next();
        }
    }

    private long chunksOf(String attachmentId) throws SQLException {
        PreparedStatement count = transaction.statement(COUNT_CHUNKS);
        count.setString(1, attachmentId);
        try (ResultSet row = count.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /** One attachment to complete, and once written, the description the email keeps. */
    private static final class Completion {

        private final AttachmentInfo info;
        private final int chunkCount;
        private final byte[] nameKey;
        private final byte[] contentSha256;
        private Optional<AttachmentInfo> kept;
        private StoreException refusal;

        Completion(AttachmentInfo info, int chunkCount, byte[] nameKey, byte[] contentSha256) {
            this.info = info;
            this.chunkCount = chunkCount;
            this.nameKey = nameKey;
            this.contentSha256 = contentSha256;
        }

        String trackingId() {
            return info.trackingId().value();
        }

        byte[] nameKey() {
            return nameKey;
        }

        byte[] contentSha256() {
            return contentSha256;
        }
    }
}
