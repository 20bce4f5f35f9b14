package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.AttachmentId;
import io.github.emailtracking.api.AttachmentInfo;
import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.CampaignId;
import io.github.emailtracking.api.CampaignTotals;
import io.github.emailtracking.api.EmailStatus;
import io.github.emailtracking.api.InvalidRequestException;
import io.github.emailtracking.api.NotFoundException;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.StoreException;
import io.github.emailtracking.api.TrackedEmail;
import io.github.emailtracking.api.TrackingEvent;
import io.github.emailtracking.api.TrackingId;
import io.github.emailtracking.api.spi.EventTimes;
import io.github.emailtracking.api.spi.TrackingStore;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TrackingStore} on SQLite (the embedded default: one file) or PostgreSQL (shared by
 * several app nodes).
 *
 * <p>Every change goes through one writer thread that commits whatever callers have queued in one
 * transaction (group commit); a method that changes something returns once its change is committed,
 * and with SQLite synced to disk. Reads run on connections of their own, beside the writer.
 * Campaign reports are answered from aggregates that each event's transaction keeps up to date,
 * never by reading the events. Counts and "first" times are decided inside the database, so several
 * stores on one PostgreSQL database give exact totals.
 *
 * <p>An open is the exception that bursts call for: its transaction only appends it to a journal
 * table, which costs a commit a few pages for many opens. The writer folds the journal into the
 * counters, event rows and aggregates later, in transactions of up to 20,000 opens: when it has
 * time to spare, and under any load once the journal holds more than {@link
 * Builder#maxUnfoldedOpens} opens. {@link #status}, {@link #campaignTotals}, {@link
 * #eraseRecipient} and {@link #deleteEventsBefore} fold what the journal holds first, so they count
 * every open that was answered, by this store or by another on the same database.
 *
 * <p>Reports stay the same when event rows go: an email keeps at most {@link
 * Builder#maxEventsPerEmail} open rows and click rows when a cap is set, {@link
 * #deleteEventsBefore} deletes old rows, {@link #eraseRecipient} deletes everything about a
 * recipient, and none of them changes a counter or an aggregate; except that erasing takes the
 * erased emails' own links out of the top links.
 *
 * <p>PostgreSQL text cannot hold the NUL character. So that no event is refused for one, the store
 * removes NUL characters from the texts of events and attachments (addresses, user agents, URLs,
 * reasons, reply texts and Message-IDs, file names and content types) before storing them, on
 * SQLite too: a status and an attachment's description give back the text without them. What the
 * sender gives it to keep (a campaign, an email and its links, a setting) is refused with one, as
 * the {@link TrackingStore} contract says.
 *
 * <p>Thread-safe. Build one per database, share it, and close it when the application stops:
 *
 * <pre>{@code
 * JdbcTrackingStore store = JdbcTrackingStore.builder()
 *         .jdbcUrl("jdbc:sqlite:/var/lib/mailer/email-tracking.db")
 *         .build();  // applies the migrations, starts the writer
 * ...
 * store.close();     // commits every write accepted so far, then stops
 * }</pre>
 *
 * <p>Note: times are kept to the millisecond. The timeline is exact for every zone whose offsets
 * are whole quarter hours, which all zones are today; days in a zone with an older offset such as
 * local mean time may be off by the minutes of that offset.
 */
public final class JdbcTrackingStore implements TrackingStore {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcTrackingStore.class);
    private static final WriteFailure RECORD_FAILURE = WriteFailure.of("record the event");
    private static final WriteFailure FOLD_FAILURE =
            WriteFailure.of("fold the open journal before the read")
                    .ifRolledBack("the opens it holds stay there, and the read was not answered");

    /** How many folds that find the database busy a read takes before it fails. */
    static final int READ_FOLD_TRIES = 3;

    /** How much of an attachment is read, and written, at a time. */
    static final int CHUNK_BYTES = 256 * 1024;

    /**
     * How old the chunks of an upload that never completed are when a start deletes them: a day, so
     * that the slowest upload of another process sharing the database (a PostgreSQL node, or a
     * second server on one SQLite file) completes first.
     */
    static final Duration ORPHAN_AGE = Duration.ofDays(1);

    /** How many row ids of one table each transaction of {@link #deleteEventsBefore} looks at. */
    static final int DELETE_WINDOW = 10_000;

    private final Database database;
    private final GroupCommitWriter writer;
    private final JournalFolding folding;
    private final StoreReads reads;
    private final Clock clock;
    // Null: the bytes of attachments are kept in the database.
    private final AttachmentBlobs blobs;

    private JdbcTrackingStore(
            Database database,
            GroupCommitWriter writer,
            JournalFolding folding,
            Clock clock,
            AttachmentBlobs blobs) {
        this.database = database;
        this.writer = writer;
        this.folding = folding;
        this.reads = new StoreReads(database);
        this.clock = clock;
        this.blobs = blobs;
    }

    /** Returns a builder; {@link Builder#jdbcUrl} or {@link Builder#dataSource} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void saveCampaign(Campaign campaign) {
        Objects.requireNonNull(campaign, "campaign");
        StoredText.requireNoNul(campaign.name(), "the campaign's name");
        StoredText.requireNoNul(campaign.owner(), "the campaign's owner");
        StoredText.requireNoNul(campaign.tenant(), "the campaign's tenant");
        WriteFailure failure =
                WriteFailure.of("store the campaign")
                        .ifDuplicate("a campaign with id " + campaign.id() + " exists");
        writer.write(
                transaction -> {
                    transaction.insertCampaign(campaign);
                    return () -> null;
                },
                failure);
    }

    @Override
    public Optional<Campaign> findCampaign(CampaignId id) {
        return reads.findCampaign(Objects.requireNonNull(id, "id"));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The database's unique keys decide whether the tracking id and the Message-ID are free,
     * inside the transaction that stores the email: so several stores on one PostgreSQL database
     * agree on which of two registrations with one Message-ID is stored.
     */
    @Override
    public void saveEmail(TrackedEmail email, Set<String> links) {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(links, "links")
                .forEach(
                        link ->
                                StoredText.requireNoNul(
                                        Objects.requireNonNull(link, "link"), "a link"));
        StoredText.requireNoNul(email.recipientEmail(), "the recipient");
        StoredText.requireNoNul(email.messageId(), "the Message-ID");
        Set<String> registered = Set.copyOf(links);
        WriteFailure failure =
                WriteFailure.of("store the email")
                        .ifMissingParent("no campaign has id " + email.campaignId());
        writer.write(
                transaction -> {
                    EmailInsert inserted = transaction.insertEmail(email, registered);
                    return () -> inserted.answer(email);
                },
                failure);
    }

    @Override
    public Optional<TrackedEmail> findEmail(TrackingId id) {
        return reads.findEmail(Objects.requireNonNull(id, "id"));
    }

    @Override
    public Optional<TrackedEmail> findEmailByMessageId(String messageId) {
        Objects.requireNonNull(messageId, "messageId");
        // No stored Message-ID holds a NUL, which PostgreSQL cannot even compare.
        if (StoredText.hasNul(messageId)) {
            return Optional.empty();
        }
        return reads.findEmailByMessageId(messageId);
    }

    @Override
    public boolean isLinkRegistered(TrackingId id, String url) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        // No stored link holds a NUL either.
        return !StoredText.hasNul(url) && reads.isLinkRegistered(id, url);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A reply whose Message-ID the email has had before is a retry: nothing is stored and true
     * is returned. With a cap on event rows, an open or a click past it is counted everywhere but
     * keeps no row.
     */
    @Override
    public boolean record(TrackingEvent event) {
        return writer.write(recording(event), RECORD_FAILURE);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The event joins the writer's queue at once, waiting only while the queue is full; the
     * stage is completed on the store's answering thread once the batch that holds it is committed,
     * with the deadlines of {@link Builder#writeTimeout}; they are checked every twentieth of the
     * timeout, at least every 100 ms, so a deadline may pass that much late.
     */
    @Override
    public CompletionStage<Boolean> recordAsync(TrackingEvent event) {
        Objects.requireNonNull(event, "event");
        Write<Boolean> write;
        try {
            write = recording(event);
        } catch (InvalidRequestException e) {
            return CompletableFuture.failedFuture(e);
        }
        return writer.writeLater(write, RECORD_FAILURE);
    }

    /** Returns the write that records an event and answers whether its email exists. */
    private Write<Boolean> recording(TrackingEvent event) {
        EventTimes.epochMillis(Objects.requireNonNull(event, "event").at());
        TrackingEvent stored = StoredText.inEvent(event);
        boolean journaled = stored instanceof OpenEvent;
        return transaction -> {
            BooleanSupplier found = transaction.record(stored);
            return () -> {
                boolean recorded = found.getAsBoolean();
                if (recorded && journaled) {
                    folding.appended();
                }
                return recorded;
            };
        };
    }

    /**
     * {@inheritDoc}
     *
     * <p>The opens still in the journal are folded first, so the status counts every open that was
     * answered, by this store or by another on the same database.
     */
    @Override
    public Optional<EmailStatus> status(TrackingId id, Page page) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(page, "page");
        foldJournal("read the email's status");
        return reads.status(id, page);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The opens still in the journal are folded first, like for {@link #status}.
     */
    @Override
    public Optional<CampaignTotals> campaignTotals(CampaignId id, ZoneId zone, int topLinkLimit) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(zone, "zone");
        if (topLinkLimit < 0) {
            throw new IllegalArgumentException(
                    "topLinkLimit must not be negative, not " + topLinkLimit);
        }
        foldJournal("read the campaign's report");
        return reads.campaignTotals(id, zone, topLinkLimit);
    }

    /**
     * Folds every open in the journal now, {@link JournalFolding#FOLD_SIZE} per transaction, each
     * through the writer in a transaction of its own, so that recording goes on between them and a
     * fold that a locked table fails fails no other write. Each fold starts after the last row the
     * one before took: a row committed before this began is met on the way, or waited for while
     * another store folds it. A fold that found the database busy, as when another store on the
     * same database folds or erases the same emails for longer than a fold waits for their locks,
     * is tried again, the writes queued meanwhile going first; the read fails once {@value
     * #READ_FOLD_TRIES} of its folds have found it busy.
     */
    private void foldJournal(String action) {
        OptionalLong last = reads.lastJournalId(action);
        if (last.isEmpty()) {
            return;
        }
        OpenJournal.Fold fold = new OpenJournal.Fold(0, true);
        int busyFolds = 0;
        while (fold.left()) {
            try {
                fold =
                        writer.writeAlone(
                                JournalFolding.fold(fold.lastId(), last.getAsLong()), FOLD_FAILURE);
            } catch (StoreException e) {
                if (!isBusy(database, e) || ++busyFolds >= READ_FOLD_TRIES) {
                    throw e;
                }
                LOG.debug("Folding the open journal again after finding the database busy", e);
            }
        }
    }

    /** Returns whether another transaction was in the way, so that the same work may succeed. */
    private static boolean isBusy(Database database, StoreException failure) {
        return database.dialect().classify(failure) == FailureKind.CONFLICT;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The content is read and written {@value #CHUNK_BYTES} bytes at a time, each chunk in a
     * transaction of its own, and no transaction is open while the stream is read. The description
     * is written last: until then the attachment does not exist.
     *
     * <p>When the email already has a file of the same name and the same content (by SHA-256,
     * computed while the content streams in), that file is returned and the new chunks are deleted
     * as the description would have been written: a mail flow that sends a reply's files again
     * stores them once.
     *
     * <p>The chunks of an upload cut off by a crash stay until a store starting later deletes them,
     * once they are {@link #ORPHAN_AGE a day} old, since another process may still be writing them,
     * or until their email's recipient is erased: each chunk names its email. An upload that takes
     * longer than that may find some of its chunks deleted when it completes: it then fails with a
     * {@link StoreException} and stores nothing, rather than a file with parts missing.
     */
    @Override
    public AttachmentInfo saveAttachment(AttachmentInfo info, InputStream content)
            throws IOException {
        AttachmentInfo named = StoredText.inAttachment(Objects.requireNonNull(info, "info"));
        Objects.requireNonNull(content, "content");
        if (blobs != null) {
            return saveAttachmentAsBlob(named, content);
        }
        String id = named.id().value();
        MessageDigest sha256 = Sha256.newDigest();
        int chunks = 0;
        long size = 0;
        try {
            for (byte[] chunk = content.readNBytes(CHUNK_BYTES);
                    chunk.length > 0;
                    chunk = content.readNBytes(CHUNK_BYTES)) {
                sha256.update(chunk);
                writeChunk(id, named.trackingId().value(), chunks, chunk);
                chunks++;
                size += chunk.length;
            }
            return writeDescription(named.withFileSize(size), chunks, sha256.digest());
        } catch (IOException | RuntimeException e) {
            if (chunks > 0) {
                deleteChunks(id, e);
            }
            if (e instanceof StoreException failure) {
                throw notFoundIfErased(failure, info);
            }
            throw e;
        }
    }

    private AttachmentInfo saveAttachmentAsBlob(AttachmentInfo info, InputStream content)
            throws IOException {
        String id = info.id().value();
        // The bytes go under the id before its description is written, and would replace those
        // of the attachment that has it.
        if (reads.findAttachment(info.id()).isPresent()) {
            throw new StoreException(AttachmentCompletions.idTaken(info.id()));
        }
        DigestInputStream digesting = new DigestInputStream(content, Sha256.newDigest());
        CountingInputStream counting = new CountingInputStream(digesting);
        // A write that fails keeps nothing; one that finds the id taken leaves its bytes alone.
        writeBlob(id, counting);
        try {
            byte[] sha256 = digesting.getMessageDigest().digest();
            AttachmentInfo kept = writeDescription(info.withFileSize(counting.count()), 0, sha256);
            if (!kept.id().equals(info.id())) {
                keepOneBlob(kept, id, sha256);
            }
            return kept;
        } catch (RuntimeException e) {
            deleteBlob(id);
            if (e instanceof StoreException failure) {
                throw notFoundIfErased(failure, info);
            }
            throw e;
        }
    }

    /**
     * Settles a retried upload, found to be a file already stored: that file keeps its bytes, or,
     * when they are kept in a directory that lost or changed them, takes the bytes just uploaded,
     * which have the same SHA-256. The upload's own bytes are deleted otherwise.
     *
     * @throws StoreException if the damaged file cannot be replaced, as when a folder is in its
     *     place, so that the upload does not report a file it could not restore
     */
    private void keepOneBlob(AttachmentInfo kept, String uploadedId, byte[] sha256) {
        try {
            if (blobs instanceof DirectoryBlobs directory
                    && directory.replaceIfDamaged(
                            kept.id().value(), uploadedId, kept.fileSize(), sha256)) {
                LOG.info(
                        "The file of attachment {} was missing or damaged; a retried upload of it"
                                + " put it back",
                        kept.id());
                return;
            }
        } catch (IOException e) {
            throw new StoreException(
                    "could not store the attachment: the file stored for it before is missing or"
                            + " damaged in "
                            + blobs
                            + ", and could not be replaced",
                    e);
        }
        deleteBlob(uploadedId);
    }

    /**
     * Writes an attachment's bytes to the blobs.
     *
     * @throws IOException if reading the content failed: the caller's, as the SPI says
     * @throws StoreException if another upload holds the id, or writing the bytes failed, the
     *     store's own failure
     */
    private void writeBlob(String id, CountingInputStream content) throws IOException {
        try {
            blobs.write(id, content);
        } catch (IOException e) {
            if (content.failed()) {
                throw e;
            }
            if (e instanceof FileAlreadyExistsException) {
                throw new StoreException(AttachmentCompletions.idTaken(id), e);
            }
            throw new StoreException(
                    "could not store the attachment: " + blobs + " could not be written", e);
        }
    }

    /**
     * Returns the failure to report for an attachment that could not be stored: that its email is
     * not found when it no longer exists, as when its recipient was erased during the upload.
     */
    private RuntimeException notFoundIfErased(StoreException failure, AttachmentInfo info) {
        try {
            if (findEmail(info.trackingId()).isEmpty()) {
                return new NotFoundException("no email has tracking id " + info.trackingId());
            }
        } catch (StoreException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    @Override
    public Optional<AttachmentInfo> findAttachment(AttachmentId id) {
        return reads.findAttachment(Objects.requireNonNull(id, "id")).map(StoredAttachment::info);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The content is read one chunk at a time, and no connection is held while {@code out} is
     * written to, so a slow download does not hold up other reads. Bytes kept in {@link
     * Builder#attachmentBlobs blobs} fail with a {@link StoreException} when this store has no
     * blobs, or when they are not the bytes stored: before the first byte too many is written, once
     * they end short, or, when their SHA-256 is not the one stored, before the last byte is.
     */
    @Override
    public boolean copyAttachment(AttachmentId id, OutputStream out) throws IOException {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(out, "out");
        Optional<StoredAttachment> attachment = reads.findAttachment(id);
        if (attachment.isEmpty()) {
            return false;
        }
        AttachmentInfo info = attachment.get().info();
        if (attachment.get().chunkCount() == 0 && info.fileSize() > 0 && blobs == null) {
            throw new StoreException(
                    "could not read the attachment's content: it is kept in an attachment"
                            + " directory, and this store was given none");
        }
        if (blobs != null && attachment.get().chunkCount() == 0) {
            copyBlob(attachment.get(), out);
            return true;
        }
        for (int chunkNo = 0; chunkNo < attachment.get().chunkCount(); chunkNo++) {
            byte[] chunk = reads.chunk(id, chunkNo);
            if (chunk == null) {
                throw new StoreException(
                        "could not read the attachment's content: part of it is missing");
            }
            out.write(chunk);
        }
        return true;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Addresses are compared lower-cased in the root locale, as Java does it, so that SQLite and
     * PostgreSQL (whose own lower-casing depends on the database's locale) erase the same emails.
     * Attachments still being uploaded for an erased email are not completed.
     *
     * <p>Note: with several stores on one database, an open that another store appends to the
     * journal while the erase runs is answered as stored, and is erased with the rest: the next
     * fold drops it, within about a second, and no count ever includes it.
     */
    @Override
    public int eraseRecipient(String recipientEmail) {
        Objects.requireNonNull(recipientEmail, "recipientEmail");
        // No stored address holds a NUL, which PostgreSQL cannot even compare.
        if (StoredText.hasNul(recipientEmail)) {
            return 0;
        }
        List<String> attachmentIds = new ArrayList<>();
        int erased =
                writer.write(
                        transaction -> {
                            attachmentIds.clear();
                            int count = transaction.eraseRecipient(recipientEmail, attachmentIds);
                            return () -> count;
                        },
                        WriteFailure.of("erase the recipient"));
        if (blobs != null) {
            attachmentIds.forEach(this::deleteBlob);
        } else if (!attachmentIds.isEmpty()) {
            LOG.warn(
                    "{} erased attachment(s) may have kept their bytes in an attachment directory,"
                            + " which this store was not given: delete the files named {} there",
                    attachmentIds.size(),
                    attachmentIds);
        }
        LOG.debug("Erased {} email(s) of one recipient", erased);
        return erased;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each transaction looks at {@value #DELETE_WINDOW} row ids of one table, through the writer
     * like every write, so that other writes never wait long behind it, however many rows there
     * are. Rows recorded while it runs may be left for the next run.
     */
    @Override
    public long deleteEventsBefore(Instant cutoff) {
        long before = epochMillisOrBound(Objects.requireNonNull(cutoff, "cutoff"));
        foldJournal("delete old events");
        long deleted = 0;
        for (EventTable table : EventTable.values()) {
            deleted += deleteEventsBefore(table, before);
        }
        LOG.debug("Deleted {} event row(s) from before {}", deleted, cutoff);
        return deleted;
    }

    /**
     * Returns an instant's epoch milliseconds, or the lowest or highest number for an instant too
     * far from 1970 to have them, which lies before or after every time a row holds.
     */
    private static long epochMillisOrBound(Instant instant) {
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException e) {
            return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    @Override
    public String setting(String name, Supplier<String> initialValue) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(initialValue, "initialValue");
        StoredText.requireNoNul(name, "the setting's name");
        Optional<String> stored = reads.setting(name);
        if (stored.isPresent()) {
            return stored.get();
        }
        String value =
                StoredText.requireNoNul(
                        Objects.requireNonNull(initialValue.get(), "initial value"),
                        "the setting's value");
        return writer.write(
                transaction -> {
                    String kept = transaction.setting(name, value);
                    return () -> kept;
                },
                WriteFailure.of("store the setting"));
    }

    /**
     * Stops taking writes, commits every write accepted before this call, then closes the
     * connections. Calling it again does nothing more: a call from another thread while the first
     * one still commits returns once it is done, as a JVM's shutdown hook and a container may both
     * call it.
     */
    @Override
    public void close() {
        writer.close();
        database.close();
        LOG.debug("The store is closed");
    }

    private void writeChunk(String attachmentId, String trackingId, int chunkNo, byte[] chunk) {
        long createdAt = clock.millis();
        writer.write(
                transaction -> {
                    transaction.insertChunk(attachmentId, trackingId, chunkNo, chunk, createdAt);
                    return () -> null;
                },
                WriteFailure.of("store the attachment")
                        .ifDuplicate(AttachmentCompletions.idTaken(attachmentId))
                        .ifMissingParent("no email has tracking id " + trackingId),
                chunk.length);
    }

    /** Writes the description; returns it, or the earlier file of the same name and content. */
    private AttachmentInfo writeDescription(AttachmentInfo info, int chunks, byte[] sha256) {
        return writer.write(
                transaction -> {
                    Supplier<AttachmentInfo> kept =
                            transaction.completeAttachment(info, chunks, sha256);
                    return kept::get;
                },
                WriteFailure.of("store the attachment")
                        .ifDuplicate(AttachmentCompletions.idTaken(info.id()))
                        .ifMissingParent("no email has tracking id " + info.trackingId()));
    }

    /**
     * Copies an attachment's bytes kept outside the database; an empty file may have none.
     *
     * @throws IOException if writing to {@code out} failed: the caller's, as the SPI says
     * @throws StoreException if the bytes are missing, could not be read, or are not the bytes
     *     stored: thrown before the first byte past their size, once they end short of it, or, when
     *     their SHA-256 differs, before their last byte, so that a client never receives the whole
     *     of other bytes
     */
    private void copyBlob(StoredAttachment attachment, OutputStream out) throws IOException {
        AttachmentInfo info = attachment.info();
        WatchedOutputStream watched = new WatchedOutputStream(out, info.fileSize(), blobs);
        boolean found;
        try {
            found = blobs.copyTo(info.id().value(), watched);
        } catch (IOException e) {
            if (watched.failed()) {
                throw e;
            }
            throw new StoreException(
                    "could not read the attachment's content: " + blobs + " could not be read", e);
        }
        if (!found && info.fileSize() > 0) {
            throw new StoreException(
                    "could not read the attachment's content: " + blobs + " has none for it");
        }
        if (found && watched.written() != info.fileSize()) {
            throw new StoreException(
                    "could not read the attachment's content: "
                            + blobs
                            + " holds fewer bytes for it than were stored");
        }
        if (found && info.fileSize() > 0) {
            watched.finish(attachment.contentSha256());
        }
    }

    /**
     * Remembers whether a write to the stream it wraps failed, refuses to write past the size an
     * attachment was stored with, and holds back the last byte until {@link #finish} finds the
     * bytes' SHA-256 to be the one stored. Not thread-safe.
     */
    private static final class WatchedOutputStream extends FilterOutputStream {

        private final long size;
        private final AttachmentBlobs blobs;
        private final MessageDigest sha256 = Sha256.newDigest();
        private long written;
        private int lastByte = -1;
        private boolean failed;

        WatchedOutputStream(OutputStream out, long size, AttachmentBlobs blobs) {
            super(out);
            this.size = size;
            this.blobs = blobs;
        }

        /**
         * Sends the last byte when the bytes are those stored.
         *
         * @throws StoreException if they are not
         */
        void finish(byte[] storedSha256) throws IOException {
            if (!MessageDigest.isEqual(sha256.digest(), storedSha256)) {
                throw new StoreException(
                        "could not read the attachment's content: "
                                + blobs
                                + " holds other bytes for it than were stored");
            }
            forward(new byte[] {(byte) lastByte}, 0, 1);
        }

        boolean failed() {
            return failed;
        }

        long written() {
            return written;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (written + length > size) {
                throw new StoreException(
                        "could not read the attachment's content: "
                                + blobs
                                + " holds more bytes for it than were stored");
            }
            if (length == 0) {
                return;
            }
            sha256.update(bytes, offset, length);
            written += length;
            boolean last = written == size;
            forward(bytes, offset, last ? length - 1 : length);
            if (last) {
                lastByte = bytes[offset + length - 1] & 0xff;
            }
        }

        private void forward(byte[] bytes, int offset, int length) throws IOException {
            try {
                out.write(bytes, offset, length);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }
    }

    /** Deletes the bytes of an attachment kept outside the database; logs when that fails. */
    private void deleteBlob(String attachmentId) {
        try {
            blobs.delete(attachmentId);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not delete the bytes of attachment {}: {}", attachmentId, e.toString());
        }
    }

    /**
     * Warns at start when the bytes of attachments kept outside the database are out of this
     * store's reach: it was given no place for them, or a directory without the newest of them,
     * most likely another one than they were stored in. Their downloads would fail until it is
     * given the right one, with nothing at start to say why.
     */
    private void warnIfAttachmentsAreOutOfReach() {
        Optional<String> newest;
        try {
            newest = reads.newestAttachmentKeptOutside();
        } catch (StoreException e) {
            // Only a check: the store works without it, and its reads will say what fails.
            LOG.debug("Could not look for attachments kept outside the database", e);
            return;
        }
        if (newest.isEmpty()) {
            return;
        }
        if (blobs == null) {
            LOG.warn(
                    "Attachments of this database, the newest {}, keep their bytes outside it, and"
                            + " this store was given no place for them (an attachment directory):"
                            + " their downloads fail until it is",
                    newest.get());
        } else if (blobs instanceof DirectoryBlobs directory && !directory.has(newest.get())) {
            LOG.warn(
                    "There is no file for attachment {}, the newest kept outside the database,"
                        + " among the {}: if they were stored in another directory, give that one,"
                        + " or their downloads fail",
                    newest.get(),
                    directory);
        }
    }

    /** Deletes the chunks of a failed upload; those left are deleted at a later start. */
    private void deleteChunks(String attachmentId, Exception failure) {
        try {
            writer.write(
                    transaction -> {
                        transaction.deleteChunks(attachmentId);
                        return () -> null;
                    },
                    WriteFailure.of("delete the chunks of a failed upload"));
        } catch (StoreException e) {
            LOG.warn("The chunks of a failed upload stay until a later start deletes them", e);
            failure.addSuppressed(e);
        }
    }

    private long deleteEventsBefore(EventTable table, long cutoff) {
        Optional<EventTable.IdRange> ids = reads.idRange(table);
        if (ids.isEmpty()) {
            return 0;
        }
        long deleted = 0;
        for (long from = ids.get().first(); from <= ids.get().last(); from += DELETE_WINDOW) {
            long windowStart = from;
            deleted +=
                    writer.write(
                            transaction -> {
                                int count =
                                        transaction.deleteEventsBefore(
                                                table,
                                                windowStart,
                                                windowStart + DELETE_WINDOW,
                                                cutoff);
                                return () -> count;
                            },
                            WriteFailure.of("delete old events"));
        }
        return deleted;
    }

    /**
     * Deletes what uploads cut off by a crash left, once a day old: chunks, and the files an
     * attachment directory holds under a temporary name.
     *
     * @throws StoreException if the database takes no write
     */
    private void deleteOrphanChunks() {
        long createdBefore = clock.millis() - ORPHAN_AGE.toMillis();
        int deleted =
                writer.write(
                        transaction -> {
                            int count = transaction.deleteOrphanChunks(createdBefore);
                            return () -> count;
                        },
                        WriteFailure.of("delete the chunks of uploads that never completed"));
        LOG.debug("Deleted {} chunk(s) of uploads that never completed", deleted);
        if (blobs instanceof DirectoryBlobs directory) {
            deleteLeftoverParts(directory);
        }
    }

    /** Deletes the files that uploads cut off by a crash left in the attachment directory. */
    private void deleteLeftoverParts(DirectoryBlobs directory) {
        try {
            // Files are timed by the system's clock, whatever clock the store keeps events by.
            Instant dayAgo = Instant.now().minus(ORPHAN_AGE);
            int deleted = directory.deleteLeftoverParts(dayAgo);
            LOG.debug("Deleted {} file(s) of uploads that never completed", deleted);
        } catch (IOException e) {
            LOG.warn(
                    "Could not delete the files of uploads that never completed: {}", e.toString());
        }
    }

    /**
     * Builds a {@link JdbcTrackingStore}. Each setter checks its value at once and names a bad one
     * in its exception; either {@link #jdbcUrl} or {@link #dataSource} is required.
     */
    public static final class Builder {

        /** The shortest write timeout accepted, in milliseconds. */
        public static final long MIN_WRITE_TIMEOUT_MILLIS = 100;

        /** The most connections reads may be given. */
        public static final int MAX_READ_CONNECTIONS = 1_000;

        /**
         * The longest waiting time any setting takes: longer ones would overflow the clocks that
         * measure them, and no caller waits that long.
         */
        private static final Duration MAX_WAIT = Duration.ofDays(1);

        /**
         * How long {@link #build} goes on trying while another transaction keeps the database busy,
         * each try waiting up to the {@link #busyTimeout} for a lock.
         */
        static final Duration START_WAIT = Duration.ofSeconds(30);

        private static final Duration START_RETRY_PAUSE = Duration.ofSeconds(1);

        private String jdbcUrl;
        private DataSource dataSource;
        private boolean migrate = true;
        private int readConnections = 8;
        private int writeQueueCapacity = 10_000;
        private int maxBatchSize = 512;
        private long maxEventsPerEmail = Long.MAX_VALUE;
        private int maxUnfoldedOpens = 100_000;
        private Duration queueTimeout = Duration.ofSeconds(1);
        private Duration writeTimeout = Duration.ofSeconds(10);
        private Duration busyTimeout = Duration.ofSeconds(5);
        private Clock clock = Clock.systemUTC();
        private AttachmentBlobs blobs;

        private Builder() {}

        /**
         * Sets the database by URL: {@code jdbc:sqlite:/path/to/file.db} (the file and its folder
         * are created when missing, unless {@link #migrate} is off) or {@code
         * jdbc:postgresql://host/database?user=...}. The store opens and pools its own connections.
         *
         * @throws IllegalArgumentException if the URL is of another database, names an in-memory
         *     SQLite database (each connection would see its own) or a SQLite path the driver would
         *     read as another file (white space at its ends, an escape of bytes that are not
         *     UTF-8), or names no PostgreSQL database (the driver would connect to the one named
         *     after the user)
         */
        public Builder jdbcUrl(String jdbcUrl) {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            Dialect dialect = Dialect.ofUrl(jdbcUrl);
            if (dialect == null) {
                throw new IllegalArgumentException(
                        "jdbcUrl must start with jdbc:sqlite: or jdbc:postgresql:, not "
                                + JdbcUrls.redact(jdbcUrl));
            }
            if (dialect == Dialect.SQLITE) {
                SqliteFiles.databaseFile(jdbcUrl);
            } else if (!JdbcUrls.namesPostgresDatabase(jdbcUrl)) {
                throw new IllegalArgumentException(
                        "jdbcUrl must name a PostgreSQL database, as in"
                                + " jdbc:postgresql://host:5432/name, not "
                                + JdbcUrls.redact(jdbcUrl)
                                + ": without one the driver connects to the database named after"
                                + " the user");
            }
            this.jdbcUrl = jdbcUrl;
            return this;
        }

        /**
         * Sets the database by a data source of the host's, instead of a URL; its dialect is read
         * from the connection's metadata. The store borrows a connection per transaction and never
         * closes the data source.
         *
         * <p>Note: a pool of the host's should hold at least two connections. The writer has no
         * connection of its own, so with one every read waits for the writer's transaction; and on
         * PostgreSQL the migration at {@link #build} takes two at once. When the second does not
         * come within the pool's timeout, {@link #build} tries again, as it does while another
         * transaction keeps the database busy, and fails after 30 seconds: a pool of one never
         * gives it.
         *
         * <p>Note: with SQLite, the store switches the file to write-ahead logging and sets foreign
         * keys, full sync and the busy timeout on every connection it borrows. With PostgreSQL, it
         * begins each write transaction at {@code READ COMMITTED} and read-write, whatever the
         * pool's or the database's defaults, and each snapshot of a status or report at {@code
         * REPEATABLE READ}, both with the {@link #busyTimeout} as their {@code lock_timeout}; its
         * other reads, single statements such as finding an email, each run in a transaction of
         * their own with that {@code lock_timeout} too, so that none waits longer for a lock than
         * the store's own connections would. A {@code statement_timeout} must let a fold of 20,000
         * opens finish. The migration runs on the host's connections as they come, so they must
         * allow writing.
         *
         * <p>Note: with PostgreSQL, the store's role needs the {@code TEMPORARY} privilege on the
         * database, which PostgreSQL grants to every role unless revoked: folding the open journal
         * moves opens through a temporary table, emptied by each transaction.
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /**
         * Sets whether {@link #build} brings the schema up to date (the default), or only checks
         * that the host did, for hosts that run the scripts with their own tool.
         *
         * <p>Note: choose one way per database. Scripts applied by another tool are not recorded in
         * the store's history table, so a store that migrates refuses to start on their tables; and
         * a store that does not only checks that every table exists, not that every script was
         * applied.
         */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /**
         * Sets how many connections reads may use at once, beside the writer's own; defaults to 8,
         * and may be {@value #MAX_READ_CONNECTIONS} at most. The store opens them as it starts and
         * keeps them open, as a pool of fixed size, so that a burst of reads waits for no new
         * connection: on PostgreSQL, count them, and the writer's, for every node against the
         * server's {@code max_connections}. Ignored with {@link #dataSource}.
         *
         * @throws IllegalArgumentException if the number is not from 1 to {@value
         *     #MAX_READ_CONNECTIONS}
         */
        public Builder readConnections(int readConnections) {
            if (readConnections > MAX_READ_CONNECTIONS) {
                throw new IllegalArgumentException(
                        "readConnections must be at most "
                                + MAX_READ_CONNECTIONS
                                + ", not "
                                + readConnections);
            }
            this.readConnections = positive(readConnections, "readConnections");
            return this;
        }

        /**
         * Sets how many writes may wait for the writer at once; defaults to 10,000. A full queue
         * refuses writes (see {@link #queueTimeout}) rather than grow without bound.
         */
        public Builder writeQueueCapacity(int writeQueueCapacity) {
            this.writeQueueCapacity = positive(writeQueueCapacity, "writeQueueCapacity");
            return this;
        }

        /**
         * Sets how many opens the journal may hold before the writer folds them while writes keep
         * coming; defaults to 100,000. Below it, opens are folded when the writer has time to
         * spare. A higher bound absorbs a longer burst at the speed of appends; a read folds what
         * the journal holds first, so it also bounds how long a read may wait after a burst. The
         * bound counts the opens this store appended: with several stores on one database, the
         * journal may hold up to the sum of their bounds.
         */
        public Builder maxUnfoldedOpens(int maxUnfoldedOpens) {
            this.maxUnfoldedOpens = positive(maxUnfoldedOpens, "maxUnfoldedOpens");
            return this;
        }

        /** Sets how many writes one transaction takes at most; defaults to 512. */
        public Builder maxBatchSize(int maxBatchSize) {
            this.maxBatchSize = positive(maxBatchSize, "maxBatchSize");
            return this;
        }

        /**
         * Sets how long a write waits for room in a full queue before it fails with a {@link
         * StoreException}; defaults to 1 second, and may be a day at most.
         */
        public Builder queueTimeout(Duration queueTimeout) {
            this.queueTimeout = positive(queueTimeout, "queueTimeout");
            return this;
        }

        /**
         * Sets how long a caller waits for its write to be committed; defaults to 10 seconds, and
         * may not be shorter than {@value #MIN_WRITE_TIMEOUT_MILLIS} ms, as a commit of an idle
         * store can take some milliseconds already. A write still queued then is withdrawn and
         * fails with a {@link StoreException}, storing nothing; a write the writer has begun is
         * waited for once more as long. It may be a day at most.
         *
         * @throws IllegalArgumentException if the timeout is shorter than {@value
         *     #MIN_WRITE_TIMEOUT_MILLIS} ms or longer than a day
         */
        public Builder writeTimeout(Duration writeTimeout) {
            Objects.requireNonNull(writeTimeout, "writeTimeout");
            if (writeTimeout.compareTo(Duration.ofMillis(MIN_WRITE_TIMEOUT_MILLIS)) < 0) {
                throw new IllegalArgumentException(
                        "writeTimeout must be at least "
                                + MIN_WRITE_TIMEOUT_MILLIS
                                + " ms, not "
                                + writeTimeout);
            }
            this.writeTimeout = positive(writeTimeout, "writeTimeout");
            return this;
        }

        /**
         * Sets how long a statement waits for a lock that another process or transaction holds
         * before it fails, the store then answering that the database is busy: SQLite's busy
         * timeout, and PostgreSQL's {@code lock_timeout} (which a table locked by a {@code LOCK
         * TABLE}, a {@code REINDEX} or an {@code ALTER TABLE} would otherwise make endless).
         * Defaults to 5 seconds; it may be a millisecond at least, as both databases count it in
         * whole milliseconds, and a day at most. A batch of writes that found the database busy is
         * tried three times in all, so a write may wait up to three times this before it fails. A
         * fold of the open journal waits a second at most on PostgreSQL, so that the opens queued
         * behind it are not held up; the writer's own fold is not tried again at once, and a read's
         * is tried three times in all, the writes queued meanwhile going first. On PostgreSQL a
         * write transaction left idle for half this time, and a second at least, as when the
         * store's process stalls, has its session ended by the server, which frees the rows it
         * locked for the other stores sharing the database; the batch is written again on another
         * connection.
         *
         * @throws IllegalArgumentException if the timeout is shorter than a millisecond or longer
         *     than a day
         */
        public Builder busyTimeout(Duration busyTimeout) {
            Objects.requireNonNull(busyTimeout, "busyTimeout");
            if (busyTimeout.compareTo(Duration.ofMillis(1)) < 0) {
                throw new IllegalArgumentException(
                        "busyTimeout must be at least 1 ms, not " + busyTimeout);
            }
            this.busyTimeout = positive(busyTimeout, "busyTimeout");
            return this;
        }

        /**
         * Sets how many open rows, and how many click rows, each email keeps at most: those of its
         * first opens and clicks; defaults to no cap. Counters and reports still count every event.
         * A cap keeps a client that fetches the pixel in a loop from filling the database.
         *
         * <p>Note: the first ones are numbered by the email's counters, which count every event
         * ever recorded; rows deleted by {@link JdbcTrackingStore#deleteEventsBefore} do not make
         * room for new ones.
         */
        public Builder maxEventsPerEmail(int maxEventsPerEmail) {
            this.maxEventsPerEmail = positive(maxEventsPerEmail, "maxEventsPerEmail");
            return this;
        }

        /**
         * Keeps the bytes of new attachments in {@code blobs}, such as {@link
         * AttachmentBlobs#inDirectory}, instead of the database; their descriptions stay in the
         * database. Attachments stored in the database before stay readable there. Defaults to the
         * database.
         */
        public Builder attachmentBlobs(AttachmentBlobs blobs) {
            this.blobs = Objects.requireNonNull(blobs, "blobs");
            return this;
        }

        /** Sets the clock that dates attachment chunks; defaults to the system clock in UTC. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Opens the database, applies the migrations (unless told not to) and starts the writer.
         * While another transaction keeps the database busy, as one holding a lock on a table does,
         * it tries again for up to 30 seconds before it gives up.
         *
         * @throws IllegalStateException if neither or both of a URL and a data source are set
         * @throws IllegalArgumentException if the data source reaches a database other than SQLite
         *     or PostgreSQL, or an in-memory SQLite database (each connection would see its own)
         * @throws StoreException if the database cannot be opened or written, or its schema is
         *     missing or cannot be brought up to date
         */
        public JdbcTrackingStore build() {
            if ((jdbcUrl == null) == (dataSource == null)) {
                throw new IllegalStateException(
                        jdbcUrl == null
                                ? "jdbcUrl or dataSource is required"
                                : "set jdbcUrl or dataSource, not both");
            }
            Database database =
                    jdbcUrl != null
                            ? Database.open(jdbcUrl, readConnections, busyTimeout, migrate)
                            : Database.wrap(dataSource, busyTimeout);
            try {
                return startWhenFree(database);
            } catch (RuntimeException e) {
                database.close();
                throw e;
            }
        }

        /**
         * Starts the store, trying again for up to {@link #START_WAIT} while another transaction
         * keeps the database busy, such as one that holds a lock on a table for a while: a node
         * restarted then should come up once the lock is gone, not stay down.
         */
        private JdbcTrackingStore startWhenFree(Database database) {
            long deadline = System.nanoTime() + START_WAIT.toNanos();
            boolean warned = false;
            while (true) {
                try {
                    return start(database);
                } catch (StoreException e) {
                    if (!isBusy(database, e) || System.nanoTime() - deadline > 0) {
                        throw e;
                    }
                    if (!warned) {
                        LOG.warn(
                                "{}; trying again for up to {} s",
                                e.getMessage(),
                                START_WAIT.toSeconds());
                        warned = true;
                    }
                    pauseOrThrow(e);
                }
            }
        }

        private static void pauseOrThrow(StoreException busy) {
            try {
                Thread.sleep(START_RETRY_PAUSE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw busy;
            }
        }

        private JdbcTrackingStore start(Database database) {
            if (migrate) {
                Migrations.apply(database);
            }
            Migrations.verify(database, migrate);
            Migrations.requireTemporaryTables(database);
            JournalFolding folding = new JournalFolding(maxUnfoldedOpens);
            GroupCommitWriter writer =
                    new GroupCommitWriter(
                            new BatchCommitter(database, maxEventsPerEmail),
                            writerSettings(),
                            folding);
            writer.start();
            JdbcTrackingStore store =
                    new JdbcTrackingStore(database, writer, folding, clock, blobs);
            try {
                store.deleteOrphanChunks();
            } catch (StoreException e) {
                // The first write: a database that takes none (a read-only file) would answer reads
                // and drop every event. One that is only busy is tried again.
                writer.close();
                if (isBusy(database, e)) {
                    throw e;
                }
                throw new StoreException(
                        "could not write to the database, so the store would keep nothing: "
                                + e.getMessage(),
                        e);
            }
            store.warnIfAttachmentsAreOutOfReach();
            LOG.debug("The store is open on a {} database", database.dialect());
            return store;
        }

        private WriterSettings writerSettings() {
            return new WriterSettings(
                    writeQueueCapacity, maxBatchSize, 8L * CHUNK_BYTES, queueTimeout, writeTimeout);
        }

        private static int positive(int value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, not " + value);
            }
            return value;
        }

        /** Returns a waiting time from above zero to {@link #MAX_WAIT}, or fails naming it. */
        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, not " + value);
            }
            if (value.compareTo(MAX_WAIT) > 0) {
                throw new IllegalArgumentException(
                        name + " must be at most " + MAX_WAIT + ", not " + value);
            }
            return value;
        }
    }
}
