package io.github.emailtracking.api.spi;

import io.github.emailtracking.api.AttachmentId;
import io.github.emailtracking.api.AttachmentInfo;
import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.CampaignId;
import io.github.emailtracking.api.CampaignTotals;
import io.github.emailtracking.api.EmailStatus;
import io.github.emailtracking.api.InvalidRequestException;
import io.github.emailtracking.api.NotFoundException;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.StoreException;
import io.github.emailtracking.api.TrackedEmail;
import io.github.emailtracking.api.TrackingEvent;
import io.github.emailtracking.api.TrackingId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Keeps campaigns, emails, their events and reply attachments, and answers the aggregates that
 * reports are made of.
 *
 * <p>Implementations are thread-safe. A method that returns has made its change durable as far as
 * the store promises durability (the memory store promises none); a method that fails throws {@link
 * StoreException}, or another exception its description names, and has changed nothing. Methods
 * never return null.
 *
 * <p>The texts of campaigns, emails, links and settings are kept as given, and may not hold the NUL
 * character, which PostgreSQL cannot keep: a store refuses one with {@link
 * InvalidRequestException}, storing nothing, and a lookup by a text that holds one finds nothing.
 * The texts of events and attachments, which come from the internet, are the store's to clean.
 */
public interface TrackingStore extends AutoCloseable {

    /**
     * Stores a new campaign.
     *
     * @throws StoreException if a campaign with the same id exists or the store failed
     */
    void saveCampaign(Campaign campaign);

    /** Returns the campaign with this id, or empty when there is none. */
    Optional<Campaign> findCampaign(CampaignId id);

    /**
     * Stores a new email and the links registered for it, and counts it as sent in its campaign.
     *
     * <p>A Message-ID belongs to one email. The store itself decides whether it is free, at the
     * moment it stores the email: of several emails saved at once with one Message-ID, also through
     * several stores sharing one database, exactly one is stored and the others are refused with
     * {@link InvalidRequestException}, as one saved later would be.
     *
     * @param email the email; its campaign exists
     * @param links the original links of the email that may be redirected to without a signature;
     *     may be empty
     * @throws InvalidRequestException if another email has the same Message-ID (the message says
     *     "messageId is registered for another email already"); nothing was stored
     * @throws StoreException if an email with the same tracking id exists, in which case nothing
     *     was stored and saving it again with a new tracking id works; or if the store failed
     */
    void saveEmail(TrackedEmail email, Set<String> links);

    /** Returns the email with this tracking id, or empty when there is none. */
    Optional<TrackedEmail> findEmail(TrackingId id);

    /**
     * Returns the email registered with this {@code Message-ID} (compared exactly), or empty when
     * there is none.
     */
    Optional<TrackedEmail> findEmailByMessageId(String messageId);

    /** Returns whether {@code url} was registered, exactly as given, for this email. */
    boolean isLinkRegistered(TrackingId id, String url);

    /**
     * Appends an event to its email and updates the email's counters and its campaign's aggregates,
     * all or nothing.
     *
     * @return true when the event was stored; false when no email has its tracking id, in which
     *     case nothing was stored
     * @throws InvalidRequestException if the event's time is beyond what {@link EventTimes} keeps;
     *     nothing was stored
     */
    boolean record(TrackingEvent event);

    /**
     * Records an event like {@link #record}, without making the caller wait for it: for callers
     * that answer many requests with few threads, such as the open route.
     *
     * <p>The stage completes once {@link #record} would have returned: with true when the event was
     * stored, false when no email has its tracking id, or a {@link StoreException} when the store
     * failed. A store that commits on threads of its own completes it on one of them, so what
     * depends on it must not block. The default implementation records the event at once on the
     * calling thread and returns a completed stage.
     */
    default CompletionStage<Boolean> recordAsync(TrackingEvent event) {
        Objects.requireNonNull(event, "event");
        try {
            return CompletableFuture.completedFuture(record(event));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Returns an email with its counters and a window of each of its event lists.
     *
     * @return the status, or empty when no email has this tracking id
     */
    Optional<EmailStatus> status(TrackingId id, Page page);

    /**
     * Computes the aggregates of a campaign.
     *
     * @param zone the zone whose calendar days the timeline is counted in
     * @param topLinkLimit how many links the top-links list holds at most
     * @return the totals, or empty when there is no such campaign
     */
    Optional<CampaignTotals> campaignTotals(CampaignId id, ZoneId zone, int topLinkLimit);

    /**
     * Stores a reply attachment, reading its content to the end. The content is streamed: a store
     * never holds a whole file in memory, except the memory store.
     *
     * @param info the attachment's description; its size is ignored
     * @param content the file's bytes; not closed by this method
     * @return the description with the size of what was stored
     * @throws IOException if reading {@code content} failed; nothing was stored
     * @throws NotFoundException if no email has the attachment's tracking id, as when its recipient
     *     was erased while the content was read; nothing was stored
     * @throws StoreException if an attachment with the same id exists, which keeps its bytes, or
     *     the store failed; nothing was stored
     */
    AttachmentInfo saveAttachment(AttachmentInfo info, InputStream content) throws IOException;

    /** Returns the description of an attachment, or empty when there is none. */
    Optional<AttachmentInfo> findAttachment(AttachmentId id);

    /**
     * Writes the content of an attachment to {@code out}, streamed.
     *
     * @return false when there is no such attachment, in which case nothing was written
     * @throws IOException if writing to {@code out} failed
     */
    boolean copyAttachment(AttachmentId id, OutputStream out) throws IOException;

    /**
     * Erases everything kept about one recipient address: its emails, their links and events
     * (addresses, user agents, reply texts) and their attachments. Later events for the erased
     * emails are not recorded.
     *
     * <p>The campaigns' aggregates are anonymous counts and stay as they are, the erased emails
     * still counted in them: the sent, opened, clicked, replied, bounced and unsubscribed counts,
     * the open and click totals, the figures of people and machines, the average times and the
     * timeline. The top links are the exception, because a link may carry its recipient's address
     * (a preference link ending in {@code ?email=...}): a link registered for an erased email and
     * for no other email of its campaign that remains is the erased email's own, and leaves the top
     * links with its clicks. A link that other emails of the campaign registered too stays with all
     * its clicks.
     *
     * <p>Note: a link clicked without being registered for its email (a redirect to a host the
     * tracker allows) is not known to be anyone's own, and stays in the top links.
     *
     * @param recipientEmail the address: every email whose recipient has the same {@link
     *     RecipientKeys key} is erased, whatever its letter case, Unicode form or spelling of an
     *     international domain
     * @return how many emails were erased
     */
    int eraseRecipient(String recipientEmail);

    /**
     * Deletes the event rows that happened before {@code cutoff}, for a retention period. Email
     * counters and campaign aggregates stay as they are, so reports do not change; attachments are
     * kept.
     *
     * @return how many event rows were deleted
     */
    long deleteEventsBefore(Instant cutoff);

    /**
     * Returns a named setting, storing {@code initialValue}'s value first when it has none. When
     * several processes do this at once on a shared store, all of them get the same value.
     *
     * <p>The tracker keeps its link-signing key here, so that links in mail already sent keep
     * working after a restart and on every node.
     */
    String setting(String name, Supplier<String> initialValue);

    /**
     * Releases the store's resources. Writes accepted before this call are not lost; every call
     * after it fails with a {@link StoreException}. Calling it again does nothing more.
     */
    @Override
    default void close() {}
}
