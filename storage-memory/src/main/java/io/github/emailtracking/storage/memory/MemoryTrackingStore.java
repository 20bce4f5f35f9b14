package io.github.emailtracking.storage.memory;

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
import io.github.emailtracking.api.spi.EventTimes;
import io.github.emailtracking.api.spi.RecipientKeys;
import io.github.emailtracking.api.spi.TrackingStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Keeps everything in the memory of this process; nothing survives it. Like a database store, it
 * keeps each campaign's aggregates up to date as events arrive, so reports stay the same when event
 * rows are capped, deleted for retention or erased; except that erasing a recipient takes the
 * erased emails' own links out of the top links, as {@link #eraseRecipient} says.
 *
 * <p>Thread-safe: a campaign's aggregates are split in shards, each guarding its share of the
 * campaign's emails with its own lock, so that events of different emails rarely wait for each
 * other; registering an email also takes a lock of the whole store, so that a Message-ID goes to
 * one email.
 */
public final class MemoryTrackingStore implements TrackingStore {

    /** Event rows kept per email and kind when no cap is given: as good as no cap. */
    public static final int UNCAPPED = Integer.MAX_VALUE;

    private final int maxEventsPerEmail;
    private final Map<CampaignId, CampaignEntry> campaigns = new ConcurrentHashMap<>();
    private final Map<TrackingId, EmailEntry> emails = new ConcurrentHashMap<>();
    private final Map<String, EmailEntry> emailsByMessageId = new ConcurrentHashMap<>();
    private final Map<AttachmentId, StoredFile> files = new ConcurrentHashMap<>();
    private final Map<String, String> settings = new ConcurrentHashMap<>();
    private final Object registrations = new Object();
    private volatile boolean closed;

    /** Creates an empty store that keeps every event row. */
    public MemoryTrackingStore() {
        this(UNCAPPED);
    }

    /**
     * Creates an empty store that keeps at most {@code maxEventsPerEmail} event rows per email and
     * kind (the oldest ones); counters and reports still count every event.
     *
     * @throws IllegalArgumentException if the cap is not positive
     */
    public MemoryTrackingStore(int maxEventsPerEmail) {
        if (maxEventsPerEmail < 1) {
            throw new IllegalArgumentException(
                    "maxEventsPerEmail must be positive, not " + maxEventsPerEmail);
        }
        this.maxEventsPerEmail = maxEventsPerEmail;
    }

    @Override
    public void saveCampaign(Campaign campaign) {
        Objects.requireNonNull(campaign, "campaign");
        requireNoNul(campaign.name(), "the campaign's name");
        requireNoNul(campaign.owner(), "the campaign's owner");
        requireNoNul(campaign.tenant(), "the campaign's tenant");
        requireOpen("store the campaign");
        if (campaigns.putIfAbsent(campaign.id(), new CampaignEntry(campaign)) != null) {
            throw new StoreException("a campaign with id " + campaign.id() + " exists");
        }
    }

    @Override
    public Optional<Campaign> findCampaign(CampaignId id) {
        Objects.requireNonNull(id, "id");
        requireOpen("read the campaign");
        return Optional.ofNullable(campaigns.get(id)).map(CampaignEntry::campaign);
    }

    @Override
    public void saveEmail(TrackedEmail email, Set<String> links) {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(links, "links")
                .forEach(link -> requireNoNul(Objects.requireNonNull(link, "link"), "a link"));
        requireNoNul(email.recipientEmail(), "the recipient");
        requireNoNul(email.messageId(), "the Message-ID");
        requireOpen("store the email");
        CampaignEntry campaign = campaigns.get(email.campaignId());
        if (campaign == null) {
            throw new StoreException("no campaign has id " + email.campaignId());
        }
        EmailEntry entry = new EmailEntry(email, Set.copyOf(links), campaign, maxEventsPerEmail);

        // A Message-ID is unique over every campaign, so a shard's lock is not enough.
        synchronized (registrations) {
            checkKeysAreFree(email);
            synchronized (entry.shard()) {
                emails.put(email.trackingId(), entry);
                emailsByMessageId.put(email.messageId(), entry);
                entry.shard().countSent(entry.links());
            }
        }
    }

    @Override
    public Optional<TrackedEmail> findEmail(TrackingId id) {
        Objects.requireNonNull(id, "id");
        requireOpen("read the email");
        return Optional.ofNullable(emails.get(id)).map(EmailEntry::email);
    }

    @Override
    public Optional<TrackedEmail> findEmailByMessageId(String messageId) {
        Objects.requireNonNull(messageId, "messageId");
        requireOpen("read the email");
        return Optional.ofNullable(emailsByMessageId.get(messageId)).map(EmailEntry::email);
    }

    @Override
    public boolean isLinkRegistered(TrackingId id, String url) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        requireOpen("read the email's links");
        EmailEntry entry = emails.get(id);
        return entry != null && entry.links().contains(url);
    }

    @Override
    public boolean record(TrackingEvent event) {
        Objects.requireNonNull(event, "event");
        EventTimes.epochMillis(event.at());
        requireOpen("record the event");
        EmailEntry entry = emails.get(event.trackingId());
        if (entry == null) {
            return false;
        }
        synchronized (entry.shard()) {
            if (emails.get(event.trackingId()) != entry) {
                return false;
            }
            entry.add(event);
            return true;
        }
    }

    @Override
    public Optional<EmailStatus> status(TrackingId id, Page page) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(page, "page");
        requireOpen("read the status");
        EmailEntry entry = emails.get(id);
        if (entry == null) {
            return Optional.empty();
        }
        synchronized (entry.shard()) {
            return Optional.of(entry.status(page));
        }
    }

    @Override
    public Optional<CampaignTotals> campaignTotals(CampaignId id, ZoneId zone, int topLinkLimit) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(zone, "zone");
        if (topLinkLimit < 0) {
            throw new IllegalArgumentException(
                    "topLinkLimit must not be negative, not " + topLinkLimit);
        }
        requireOpen("read the report");
        CampaignEntry campaign = campaigns.get(id);
        if (campaign == null) {
            return Optional.empty();
        }
        return Optional.of(campaign.snapshot(zone, topLinkLimit));
    }

    @Override
    public AttachmentInfo saveAttachment(AttachmentInfo info, InputStream content)
            throws IOException {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(content, "content");
        requireOpen("store the attachment");
        EmailEntry entry = emails.get(info.trackingId());
        if (entry == null) {
            throw emailNotFound(info);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        content.transferTo(bytes);
        byte[] data = bytes.toByteArray();

        synchronized (entry.shard()) {
            // A store closed while the file was read takes it no more than any other write.
            requireOpen("store the attachment");
            // An erase holds this lock too: an email erased while the file was read stays erased.
            if (emails.get(info.trackingId()) != entry) {
                throw emailNotFound(info);
            }
            if (files.containsKey(info.id())) {
                throw attachmentIdTaken(info);
            }
            Optional<AttachmentInfo> earlier =
                    entry.attachments().stream()
                            .filter(a -> a.fileName().equals(info.fileName()))
                            .filter(a -> java.util.Arrays.equals(files.get(a.id()).content(), data))
                            .findFirst();
            if (earlier.isPresent()) {
                return earlier.get();
            }
            AttachmentInfo stored = info.withFileSize(data.length);
            // Another email's shard may take the same id at once: one of the two wins.
            if (files.putIfAbsent(stored.id(), new StoredFile(stored, data)) != null) {
                throw attachmentIdTaken(info);
            }
            entry.attachments().add(stored);
            return stored;
        }
    }

    @Override
    public Optional<AttachmentInfo> findAttachment(AttachmentId id) {
        Objects.requireNonNull(id, "id");
        requireOpen("read the attachment");
        return Optional.ofNullable(files.get(id)).map(StoredFile::info);
    }

    @Override
    public boolean copyAttachment(AttachmentId id, OutputStream out) throws IOException {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(out, "out");
        requireOpen("read the attachment");
        StoredFile file = files.get(id);
        if (file == null) {
            return false;
        }
        out.write(file.content());
        return true;
    }

    @Override
    public int eraseRecipient(String recipientEmail) {
        Objects.requireNonNull(recipientEmail, "recipientEmail");
        requireOpen("erase the recipient");
        String key = RecipientKeys.of(recipientEmail);
        List<EmailEntry> matching =
                emails.values().stream().filter(e -> e.recipientKey().equals(key)).toList();
        int erased = 0;
        for (EmailEntry entry : matching) {
            erased += entry.campaign().holdingAllShards(() -> erase(entry)) ? 1 : 0;
        }
        return erased;
    }

    @Override
    public long deleteEventsBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        requireOpen("delete old events");
        long deleted = 0;
        for (EmailEntry entry : emails.values()) {
            synchronized (entry.shard()) {
                deleted += entry.deleteEventsBefore(cutoff);
            }
        }
        return deleted;
    }

    @Override
    public String setting(String name, Supplier<String> initialValue) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(initialValue, "initialValue");
        requireNoNul(name, "the setting's name");
        requireOpen("read the setting");
        return settings.computeIfAbsent(
                name,
                key ->
                        requireNoNul(
                                Objects.requireNonNull(initialValue.get(), "initial value"),
                                "the setting's value"));
    }

    /**
     * Refuses a text to keep that holds a NUL character, as the JDBC store does: PostgreSQL text
     * cannot hold one, and every store answers alike.
     */
    private static String requireNoNul(String text, String what) {
        if (text != null && text.indexOf('\0') >= 0) {
            throw new InvalidRequestException(
                    what + " holds a NUL character, which the store cannot keep");
        }
        return text;
    }

    /**
     * Erases one email; false when another caller erased it first. Holds every lock of the email's
     * campaign, as its links may be registered in other shards.
     */
    private boolean erase(EmailEntry entry) {
        if (!emails.remove(entry.email().trackingId(), entry)) {
            return false;
        }
        emailsByMessageId.remove(entry.email().messageId(), entry);
        entry.attachments().forEach(a -> files.remove(a.id()));
        entry.campaign().forgetLinksOf(entry.shard(), entry.links());
        return true;
    }

    private static NotFoundException emailNotFound(AttachmentInfo info) {
        return new NotFoundException("no email has tracking id " + info.trackingId());
    }

    private static StoreException attachmentIdTaken(AttachmentInfo info) {
        return new StoreException("an attachment with id " + info.id() + " exists");
    }

    private void checkKeysAreFree(TrackedEmail email) {
        if (emails.containsKey(email.trackingId())) {
            throw new StoreException("an email with tracking id " + email.trackingId() + " exists");
        }
        if (emailsByMessageId.containsKey(email.messageId())) {
            throw new InvalidRequestException("messageId is registered for another email already");
        }
    }

    private record StoredFile(AttachmentInfo info, byte[] content) {}

    /** Takes nothing more: every later call fails, as a database store's do once closed. */
    @Override
    public void close() {
        closed = true;
    }

    private void requireOpen(String action) {
        if (closed) {
            throw new StoreException("could not " + action + ": the store is closed");
        }
    }
}
