package io.github.emailtracking.core;

import io.github.emailtracking.api.AttachmentId;
import io.github.emailtracking.api.AttachmentInfo;
import io.github.emailtracking.api.BounceEvent;
import io.github.emailtracking.api.BounceType;
import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.CampaignId;
import io.github.emailtracking.api.CampaignReport;
import io.github.emailtracking.api.CampaignTotals;
import io.github.emailtracking.api.Classification;
import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.EmailStatus;
import io.github.emailtracking.api.InvalidRequestException;
import io.github.emailtracking.api.NotFoundException;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.PayloadTooLargeException;
import io.github.emailtracking.api.ReminderEvent;
import io.github.emailtracking.api.ReplyEvent;
import io.github.emailtracking.api.StoreException;
import io.github.emailtracking.api.TrackedEmail;
import io.github.emailtracking.api.TrackingEvent;
import io.github.emailtracking.api.TrackingId;
import io.github.emailtracking.api.UnsubscribeEvent;
import io.github.emailtracking.api.Viewer;
import io.github.emailtracking.api.spi.RecipientKeys;
import io.github.emailtracking.api.spi.TimelineBuckets;
import io.github.emailtracking.api.spi.TrackingStore;
import io.github.emailtracking.core.LimitedInputStream.LimitExceededException;
import io.github.emailtracking.core.RecentActivity.Recent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The tracker: registers campaigns and emails, records what recipients do with them, and answers
 * reports. Adapters call it for every route; a Java mailer calls it directly.
 *
 * <p>Public-facing methods take ids as the strings that arrived, so that a malformed id is answered
 * like an unknown one. Methods for owners take a {@link Viewer}, and answer a campaign, email or
 * attachment the viewer may not see exactly like one that does not exist.
 *
 * <p>Every open and click is judged by an {@link EventClassifier} (a person, a person behind a
 * proxy, or a machine) and stored with that judgement; counts keep every event, and reports add
 * what people did. The timing rules see what the same email did in the last two minutes as this
 * process remembers it: several nodes sharing one database each see only the events they served
 * themselves, so a burst of clicks spread over the nodes is judged in parts. This is a documented
 * limitation, not a fault: the nodes share nothing but the database.
 *
 * <p>Failures: a missing required argument is a {@link NullPointerException} naming it, except text
 * that may arrive from a request (a campaign name, a click's redirect URL): a null there is refused
 * as a blank one is, with an {@link InvalidRequestException} naming the field; a {@link NewEmail}
 * without its recipient is a {@link NullPointerException}, as any record missing a part is. A store
 * that fails is a {@link StoreException}; a method's own {@code @throws} list what its arguments
 * may be refused for.
 *
 * <p>Instances are thread-safe; build one with {@link #builder()} and share it.
 */
public final class EmailTracker {

    /**
     * Longest click URL made for a link, in bytes. A link whose click URL would be longer is not
     * tracked: a server refuses a request line much longer than 8 KiB (Jetty, Tomcat, nginx and
     * Apache httpd all do by default, counting the browser's own headers in some), so a click on it
     * would fail. This leaves 2 KiB of that room to those headers.
     */
    public static final int MAX_CLICK_URL_BYTES = 6000;

    /**
     * The highest limit on reply attachments a tracker takes: 1 TiB. Limits are added to and
     * multiplied when bodies are checked, which a value near {@code Long.MAX_VALUE} would overflow.
     */
    public static final long MAX_ATTACHMENT_LIMIT = 1L << 40;

    /** Longest bounce reason kept, in characters. */
    public static final int MAX_BOUNCE_REASON_CHARS = 2000;

    private final TrackingStore store;
    private final Clock clock;
    private final IdGenerator ids;
    private final TrackingLinks links;
    private final LinkSigner signer;
    private final TrackerSettings settings;
    private final DroppedEvents dropped;
    private final OpenCollapser collapser;
    private final HtmlInstrumenter instrumenter;
    private final EventClassifier classifier;
    private final RecentActivity recentActivity;
    private final SentTimes sentTimes = new SentTimes();

    EmailTracker(TrackerSettings settings, LinkSigner signer) {
        this.settings = settings;
        this.store = settings.store();
        this.clock = settings.clock();
        this.ids = settings.idGenerator();
        this.links = new TrackingLinks(settings.publicBaseUrl());
        this.signer = signer;
        this.dropped = new DroppedEvents();
        this.instrumenter =
                new HtmlInstrumenter(
                        settings.publicBaseUrl(),
                        HtmlInstrumenter.DEFAULT_MAX_HTML_BYTES,
                        settings.maxLinksPerEmail());
        this.collapser =
                settings.collapseOpensWithin().isZero()
                        ? null
                        : new OpenCollapser(settings.collapseOpensWithin());
        this.classifier = settings.classifier();
        this.recentActivity = new RecentActivity(classifier.linkBurstWindow());
    }

    /** Returns a builder; {@link Builder#store} and {@link Builder#publicBaseUrl} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates a campaign owned by {@code creator}'s subject, in its tenant.
     *
     * @throws InvalidRequestException if the name is blank, too long or has control characters; or
     *     the subject or tenant is not text that a store keeps as it is (blank, too long, with
     *     control characters, spaces at either end or half of a surrogate pair)
     */
    public Campaign createCampaign(Viewer creator, String name) {
        Objects.requireNonNull(creator, "creator");
        requireKeptAsIs(creator.subject(), "owner");
        if (creator.tenant() != null) {
            requireKeptAsIs(creator.tenant(), "tenant");
        }
        String cleanName = Values.requireText(name, "campaignName", Campaign.MAX_NAME_LENGTH);
        Campaign campaign =
                new Campaign(
                        ids.newCampaignId(), cleanName, creator.subject(), creator.tenant(), now());
        store.saveCampaign(campaign);
        return campaign;
    }

    /**
     * Creates a campaign owned by {@code owner}, without tenant: for a Java mailer that does not
     * use tenants.
     *
     * @throws InvalidRequestException if the name is blank, too long or has control characters; or
     *     the owner is not text that a store keeps as it is (blank, too long, with control
     *     characters, spaces at either end or half of a surrogate pair)
     */
    public Campaign createCampaign(String owner, String name) {
        Objects.requireNonNull(owner, "owner");
        return createCampaign(Viewer.owner(owner), name);
    }

    /**
     * Registers an email of a campaign that {@code viewer} can see, and returns what to put into
     * it: the open pixel URL, a signed click URL for each link, the instrumented HTML when an HTML
     * body was given, the Message-ID and the unsubscribe headers. The links, those given and those
     * found in the HTML, are registered too, so that a click on one redirects even when the
     * signature was lost on the way (a mail client that rewrote the URL, say).
     *
     * <p>A link found in the HTML is left as it is, untracked and unregistered, when it is longer
     * than 4,096 characters or its click URL would be longer than {@value #MAX_CLICK_URL_BYTES}
     * bytes; such a link in {@link NewEmail#links()} is refused instead.
     *
     * @throws NotFoundException if the campaign does not exist or the viewer may not see it
     * @throws InvalidRequestException if the recipient, a link, the send time, the HTML or the
     *     Message-ID is not valid, or the Message-ID is registered already
     */
    public RegisteredEmail registerEmail(Viewer viewer, String campaignId, NewEmail email) {
        Objects.requireNonNull(viewer, "viewer");
        Objects.requireNonNull(email, "email");
        Campaign campaign = visibleCampaign(viewer, campaignId);
        String recipient = Values.requireEmailAddress(email.recipientEmail());
        Set<String> originals = validLinks(email.links());
        Instant sentAt = email.sentAt() != null ? validSentAt(email.sentAt()) : now();
        TrackingId trackingId = ids.newTrackingId();
        String messageId = messageId(email, trackingId);

        Map<String, String> clickUrls = new LinkedHashMap<>();
        for (String url : originals) {
            clickUrls.put(url, requireClickUrl(trackingId, url));
        }
        InstrumentedHtml html = instrument(email.html(), trackingId, clickUrls);
        if (html != null) {
            originals.addAll(html.links());
            checkLinkCount(originals.size());
        }

        TrackedEmail tracked =
                new TrackedEmail(trackingId, campaign.id(), recipient, sentAt, messageId);
        store.saveEmail(tracked, originals);
        sentTimes.remember(trackingId, sentAt);
        return new RegisteredEmail(
                trackingId,
                messageId,
                links.openUrl(trackingId),
                clickUrls,
                html == null ? null : html.html(),
                links.unsubscribeUrl(trackingId));
    }

    /**
     * Records that the open pixel of an email was fetched, judged by the classifier. Never fails
     * but for a null {@code client}: an unknown or malformed id records nothing, nor does a {@code
     * HEAD} request, which fetches no pixel, and a failing store stores nothing and has its failure
     * logged once per burst.
     *
     * @return whether an open was stored
     */
    public boolean recordOpen(String trackingId, ClientInfo client) {
        Objects.requireNonNull(client, "client");
        OpenEvent open = openToRecord(trackingId, client);
        return open != null && recordQuietly(open, "open");
    }

    /**
     * Records an open like {@link #recordOpen}, without waiting for the store to commit it: the
     * stage completes, with whether the open was stored, once the store has answered, on a thread
     * of the store's (see {@link TrackingStore#recordAsync}): what depends on the stage must not
     * block, nor call this tracker, or it holds up every other answer of the store; chain such work
     * with {@code thenApplyAsync}. It never completes exceptionally because of the store: a failing
     * store counts as a dropped open, as with {@link #recordOpen}. An open that is not to be
     * recorded (an unknown id, a repeat, a {@code HEAD} request) gives a completed stage.
     */
    public CompletionStage<Boolean> recordOpenAsync(String trackingId, ClientInfo client) {
        Objects.requireNonNull(client, "client");
        OpenEvent open = openToRecord(trackingId, client);
        if (open == null) {
            return CompletableFuture.completedFuture(false);
        }
        CompletionStage<Boolean> recording;
        try {
            recording = store.recordAsync(open);
        } catch (RuntimeException e) {
            // The SPI asks for a failed stage; a store that throws instead fails the same way.
            dropped.add("open", e);
            return CompletableFuture.completedFuture(false);
        }
        return recording.handle((stored, failure) -> storedOrDropped(stored, failure));
    }

    /**
     * Records a click, judged by the classifier, and returns where to redirect it. A click with a
     * valid signature redirects even when the email is unknown (it was purged) or the store fails,
     * recording nothing then; one without redirects only to a link registered for the email or to
     * an allowed host. A {@code HEAD} request is answered as by {@link #resolveClick}, recording
     * nothing: it follows no link.
     *
     * @param trackingId the id from the click URL
     * @param redirect the original link, decoded from the click URL
     * @param signature the click URL's signature, or null when it had none
     * @return the value for the {@code Location} header
     * @throws InvalidRequestException if {@code redirect} is not a link this email may redirect to
     * @throws NotFoundException if an unsigned click names an unknown email
     * @throws StoreException if an unsigned click cannot be checked against the email's links
     *     because the store fails or is closed
     */
    public String recordClick(
            String trackingId, String redirect, String signature, ClientInfo client) {
        Objects.requireNonNull(client, "client");
        return click(trackingId, redirect, signature, client, !isHead(client));
    }

    /**
     * Answers where a click would redirect, recording nothing: for {@code HEAD} requests, which
     * link scanners send. Fails exactly like {@link #recordClick}.
     */
    public String resolveClick(String trackingId, String redirect, String signature) {
        return click(trackingId, redirect, signature, ClientInfo.UNKNOWN, false);
    }

    /**
     * Records a reply to an email. A reply also counts the email as opened by a person, in the
     * report's person figures only; its raw open figures count pixel fetches alone.
     *
     * @param message the reply's text, or null
     * @param attachmentCount how many files the reply carried, not negative
     * @param replyMessageId the reply's own Message-ID, or null; a second reply with the same one
     *     is a retry of the first and is not stored again
     * @throws NotFoundException if no email has this id
     * @throws InvalidRequestException if {@code attachmentCount} is negative, {@code
     *     replyMessageId} is not a Message-ID, or the message holds half of a surrogate pair
     * @throws PayloadTooLargeException if the message is longer than the tracker's limit ({@link
     *     Builder#maxReplyMessageChars})
     */
    public void recordReply(
            String trackingId, String message, int attachmentCount, String replyMessageId) {
        ReplyEvent reply = reply(knownId(trackingId), message, attachmentCount, replyMessageId);
        recordOrNotFound(reply);
    }

    /**
     * Records a reply without a Message-ID of its own; see {@link #recordReply(String, String, int,
     * String)}.
     */
    public void recordReply(String trackingId, String message, int attachmentCount) {
        recordReply(trackingId, message, attachmentCount, null);
    }

    /**
     * Records a reply found by its headers instead of a tracking id: the first of the Message-IDs
     * in {@code inReplyTo}, then in {@code references} from the nearest, that belongs to a tracked
     * email. Note: only the nearest 100 ids are looked up, {@code In-Reply-To} first and then the
     * end of {@code References}, where a thread's newest ids are; a tracked email named only
     * further back than that is not found.
     *
     * @return the tracking id of the email the reply answers
     * @throws NotFoundException if no id in the headers belongs to a tracked email
     * @throws InvalidRequestException for the reply's fields, as {@link #recordReply(String,
     *     String, int, String)} refuses them
     * @throws PayloadTooLargeException if the message is longer than the tracker's limit
     */
    public TrackingId recordReplyByHeaders(
            String inReplyTo,
            String references,
            String message,
            int attachmentCount,
            String replyMessageId) {
        TrackedEmail email =
                MessageIds.parents(inReplyTo, references).stream()
                        .map(store::findEmailByMessageId)
                        .flatMap(Optional::stream)
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new NotFoundException(
                                                "no tracked email has a Message-ID named in"
                                                        + " inReplyTo or the last "
                                                        + MessageIds.MAX_REFERENCES
                                                        + " of references"));
        recordOrNotFound(reply(email.trackingId(), message, attachmentCount, replyMessageId));
        return email.trackingId();
    }

    /**
     * Records that an email bounced.
     *
     * @param reason the receiving server's explanation, or null
     * @throws NotFoundException if no email has this id
     * @throws InvalidRequestException if the reason is longer than {@value
     *     #MAX_BOUNCE_REASON_CHARS} characters or holds half of a surrogate pair
     */
    public void recordBounce(String trackingId, BounceType type, String reason) {
        Objects.requireNonNull(type, "type");
        if (reason != null && reason.codePointCount(0, reason.length()) > MAX_BOUNCE_REASON_CHARS) {
            throw new InvalidRequestException(
                    "reason must be at most " + MAX_BOUNCE_REASON_CHARS + " characters");
        }
        Values.requireWhole(reason, "reason");
        recordOrNotFound(new BounceEvent(knownId(trackingId), now(), type, reason));
    }

    /**
     * Records that the recipient of an email unsubscribed. Only a deliberate request may call this
     * (a POST), never a link that a scanner could follow.
     *
     * @throws NotFoundException if no email has this id
     */
    public void recordUnsubscribe(String trackingId) {
        recordOrNotFound(new UnsubscribeEvent(knownId(trackingId), now()));
    }

    /**
     * Tells whether an email with this tracking id exists, for pages that show something about it
     * (the unsubscribe confirmation) without recording anything.
     */
    public boolean emailExists(String trackingId) {
        return TrackingId.parse(trackingId).flatMap(store::findEmail).isPresent();
    }

    /**
     * Records that a reminder about an email was sent.
     *
     * @throws NotFoundException if no email has this id
     */
    public void recordReminder(String trackingId) {
        recordOrNotFound(new ReminderEvent(knownId(trackingId), now()));
    }

    /**
     * Stores a file received with a reply, reading {@code content} to its end.
     *
     * @param fileName the name the sender gave the file, or null; kept as display text only
     * @param contentType the type the sender declared, or null
     * @return what was stored
     * @throws NotFoundException if no email has this id, and then nothing was read; or if its
     *     recipient was erased while the file was read, and then nothing was stored
     * @throws PayloadTooLargeException if the file is over {@link #maxAttachmentBytes()}; nothing
     *     was stored
     * @throws IOException if reading {@code content} failed; nothing was stored (an unchecked
     *     exception that {@code content} throws, such as {@code UncheckedIOException}, comes
     *     through as it is, and nothing was stored either)
     */
    public AttachmentInfo saveAttachment(
            String trackingId, String fileName, String contentType, InputStream content)
            throws IOException {
        Objects.requireNonNull(content, "content");
        TrackedEmail email = findEmail(trackingId);
        AttachmentInfo info =
                new AttachmentInfo(
                        ids.newAttachmentId(),
                        email.trackingId(),
                        FileNames.cleanName(fileName),
                        FileNames.cleanContentType(contentType),
                        0,
                        now());
        try {
            long limit = settings.maxAttachmentBytes();
            return store.saveAttachment(info, new LimitedInputStream(content, limit));
        } catch (LimitExceededException e) {
            throw new PayloadTooLargeException("file", settings.maxAttachmentBytes());
        }
    }

    /**
     * Returns an email's counters and a window of its events.
     *
     * @return the status, or empty when the email does not exist or the viewer may not see it
     */
    public Optional<EmailStatus> status(Viewer viewer, String trackingId, Page page) {
        Objects.requireNonNull(viewer, "viewer");
        Objects.requireNonNull(page, "page");
        return TrackingId.parse(trackingId)
                .flatMap(id -> store.status(id, page))
                .filter(status -> canSee(viewer, status.email().campaignId()));
    }

    /**
     * Returns the report of a campaign, with its timeline counted in calendar days of {@code zone}.
     *
     * @param zone a region such as {@code Europe/Berlin}, or an offset of whole quarter hours: the
     *     timeline keeps events in quarter hours, which every zone's offset is today
     * @return the report, or empty when the campaign does not exist or the viewer may not see it
     * @throws InvalidRequestException if {@code zone} is an offset that is not whole quarter hours
     */
    public Optional<CampaignReport> campaignReport(Viewer viewer, String campaignId, ZoneId zone) {
        Objects.requireNonNull(viewer, "viewer");
        requireQuarterHours(zone);
        Optional<Campaign> campaign = visibleCampaignIfAny(viewer, campaignId);
        return campaign.flatMap(
                c ->
                        store.campaignTotals(c.id(), zone, settings.topLinkLimit())
                                .map(totals -> report(c, totals)));
    }

    /**
     * Returns the description of a reply attachment.
     *
     * @return it, or empty when it does not exist or the viewer may not see its campaign
     */
    public Optional<AttachmentInfo> findAttachment(Viewer viewer, String attachmentId) {
        Objects.requireNonNull(viewer, "viewer");
        return AttachmentId.parse(attachmentId)
                .flatMap(store::findAttachment)
                .filter(info -> canSeeEmail(viewer, info.trackingId()));
    }

    /**
     * Writes the content of an attachment to {@code out}, when the viewer may see it, as {@link
     * #findAttachment} tells.
     *
     * @return false when it does not exist, or no longer does, or the viewer may not see its
     *     campaign; {@code out} then got nothing
     * @throws IOException if writing to {@code out} failed
     */
    public boolean copyAttachment(Viewer viewer, String attachmentId, OutputStream out)
            throws IOException {
        Objects.requireNonNull(out, "out");
        Optional<AttachmentInfo> visible = findAttachment(viewer, attachmentId);
        return visible.isPresent() && store.copyAttachment(visible.get().id(), out);
    }

    /**
     * Erases everything kept about one recipient address, in every campaign: emails, events, reply
     * texts and attachments. Campaign figures stay, as they hold nothing personal. The address is
     * found however it was written, as {@link RecipientKeys} says: in any letter case, compared
     * letter by letter, in any Unicode form, and with its domain in Unicode ({@code
     * bücher.example}) or ASCII ({@code xn--bcher-kva.example}).
     *
     * @return how many emails were erased
     * @throws InvalidRequestException if the address is blank, longer than 320 characters or has
     *     control characters
     */
    public int eraseRecipient(String recipientEmail) {
        String address = Values.requireText(recipientEmail, "recipientEmail", 320);
        int erased = 0;
        // Every spelling has one key, but a JDBC store finds an email stored before keys by its
        // lower-cased address alone, under each spelling of its domain.
        for (String form : RecipientForms.of(address)) {
            erased += store.eraseRecipient(form);
        }
        return erased;
    }

    /**
     * Deletes the event rows older than {@code retention}; counters and reports stay as they are. A
     * host calls this on a schedule to keep raw events only as long as it promised.
     *
     * @return how many event rows were deleted
     * @throws IllegalArgumentException if {@code retention} is not positive
     */
    public long deleteEventsOlderThan(Duration retention) {
        Objects.requireNonNull(retention, "retention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, not " + retention);
        }
        Instant cutoff;
        try {
            cutoff = now().minus(retention);
        } catch (DateTimeException | ArithmeticException e) {
            // Before the earliest instant there is: no event is that old.
            return 0;
        }
        return store.deleteEventsBefore(cutoff);
    }

    /** Returns the largest reply attachment accepted, in bytes. */
    public long maxAttachmentBytes() {
        return settings.maxAttachmentBytes();
    }

    /**
     * Returns how many events were answered but not stored because the store failed, since the
     * tracker was built. It counts too the events whose commit the store could not confirm, which
     * it may have stored all the same: see {@link #unconfirmedEventCount}.
     */
    public long droppedEventCount() {
        return dropped.total();
    }

    /**
     * Returns how many of the {@linkplain #droppedEventCount dropped events} the store failed with
     * a {@link StoreException} that {@linkplain StoreException#changeMayBeStored may have stored
     * them}, as when the connection broke during the commit or the waiting thread was interrupted.
     */
    public long unconfirmedEventCount() {
        return dropped.unconfirmed();
    }

    private String click(
            String trackingId,
            String redirect,
            String signature,
            ClientInfo client,
            boolean record) {
        WebLink link =
                WebLink.parse(redirect)
                        .orElseThrow(
                                () ->
                                        new InvalidRequestException(
                                                "redirect must be " + WebLink.REQUIREMENT));
        Optional<TrackingId> id = TrackingId.parse(trackingId);
        boolean signed =
                id.isPresent() && signature != null && signer.verify(id.get(), redirect, signature);

        Instant sentAt = null;
        if (!signed) {
            TrackedEmail email = findEmail(trackingId);
            boolean allowed =
                    store.isLinkRegistered(email.trackingId(), redirect)
                            || settings.allowedRedirectHosts().contains(link.host());
            if (!allowed) {
                throw new InvalidRequestException(
                        "redirect is not a link of this email; use the click URL it was sent with");
            }
            sentAt = email.sentAt();
        }

        if (record) {
            recordClick(id.get(), redirect, sentAt, client);
        }
        return link.location();
    }

    /**
     * Judges and stores a click whose redirect is allowed; {@code sentAt} is null when the email
     * was not read yet. Stores nothing for an unknown email or when the store fails.
     */
    private void recordClick(TrackingId id, String url, Instant sentAt, ClientInfo client) {
        Instant sent = sentAt != null ? sentAt : sentAtQuietly(id, "click");
        if (sent == null) {
            return;
        }

        Instant now = now();
        Classification classification = classify(id, EventKind.CLICK, url, now, sent, client);
        ClickEvent click =
                new ClickEvent(id, now, url, ipAddress(client), client.userAgent(), classification);
        recordQuietly(click, "click");
    }

    /** Whether the request was a {@code HEAD}, which fetches no pixel and follows no link. */
    private static boolean isHead(ClientInfo client) {
        return "HEAD".equalsIgnoreCase(client.method());
    }

    /**
     * Returns when the email was sent, from memory or else from the store; null when no such email
     * exists, or when the store failed, which counts as a dropped event of {@code kind}.
     */
    private Instant sentAtQuietly(TrackingId id, String kind) {
        Instant known = sentTimes.find(id);
        if (known != null) {
            return known;
        }
        try {
            Optional<TrackedEmail> email = store.findEmail(id);
            email.ifPresent(found -> sentTimes.remember(id, found.sentAt()));
            return email.map(TrackedEmail::sentAt).orElse(null);
        } catch (RuntimeException e) {
            dropped.add(kind, e);
            return null;
        }
    }

    /** Judges an open or a click in the company of what its email did before. */
    private Classification classify(
            TrackingId id,
            EventKind kind,
            String url,
            Instant at,
            Instant sentAt,
            ClientInfo client) {
        Recent recent = recentActivity.remember(id, kind, at, url);
        EventContext event =
                EventContext.builder(kind, at)
                        .client(client)
                        .sentAt(sentAt)
                        .previousOtherEventAt(recent.previousOtherEventAt())
                        .recentDistinctLinks(recent.distinctLinks())
                        .build();
        return classifier.classify(event);
    }

    private ReplyEvent reply(
            TrackingId id, String message, int attachmentCount, String replyMessageId) {
        if (attachmentCount < 0) {
            throw new InvalidRequestException(
                    "attachmentCount must not be negative, not " + attachmentCount);
        }
        if (message != null
                && message.codePointCount(0, message.length()) > settings.maxReplyMessageChars()) {
            throw new PayloadTooLargeException(
                    "replyMessage must be at most "
                            + settings.maxReplyMessageChars()
                            + " characters");
        }
        Values.requireWhole(message, "replyMessage");
        String messageId =
                replyMessageId == null || replyMessageId.isBlank()
                        ? null
                        : MessageIds.normalize(replyMessageId, "messageId");
        return new ReplyEvent(id, now(), message, attachmentCount, messageId);
    }

    private String messageId(NewEmail email, TrackingId trackingId) {
        if (email.messageId() == null) {
            return MessageIds.forEmail(trackingId, links.host());
        }
        String messageId = MessageIds.forNewEmail(email.messageId(), "messageId");
        if (store.findEmailByMessageId(messageId).isPresent()) {
            throw new InvalidRequestException("messageId is registered for another email already");
        }
        return messageId;
    }

    private InstrumentedHtml instrument(
            String html, TrackingId trackingId, Map<String, String> clickUrls) {
        if (html == null) {
            return null;
        }
        return instrumenter.instrument(
                html,
                url -> clickUrls.computeIfAbsent(url, u -> clickUrl(trackingId, u)),
                links.openUrl(trackingId));
    }

    private String requireClickUrl(TrackingId trackingId, String url) {
        String clickUrl = clickUrl(trackingId, url);
        if (clickUrl == null) {
            throw new InvalidRequestException(
                    "the click URL of this link would be longer than "
                            + MAX_CLICK_URL_BYTES
                            + " bytes, which servers refuse; shorten the link: "
                            + Values.excerpt(url));
        }
        return clickUrl;
    }

    /** Returns the signed click URL of a link, or null when it would be too long to follow. */
    private String clickUrl(TrackingId trackingId, String url) {
        String clickUrl = links.clickUrl(trackingId, url, signer.sign(trackingId, url));
        return clickUrl.getBytes(StandardCharsets.UTF_8).length > MAX_CLICK_URL_BYTES
                ? null
                : clickUrl;
    }

    /** Returns the send time to the millisecond, as stores keep it, once it is in the range. */
    private static Instant validSentAt(Instant sentAt) {
        Instant kept = sentAt.truncatedTo(ChronoUnit.MILLIS);
        if (kept.isBefore(NewEmail.EARLIEST_SENT_AT) || kept.isAfter(NewEmail.LATEST_SENT_AT)) {
            throw new InvalidRequestException(
                    "sentAt must be from "
                            + NewEmail.EARLIEST_SENT_AT
                            + " to "
                            + NewEmail.LATEST_SENT_AT
                            + ", not "
                            + sentAt);
        }
        return kept;
    }

    /**
     * Refuses a subject or tenant that a store would not keep as it is, or that would not match the
     * viewer's own afterwards.
     */
    private static void requireKeptAsIs(String value, String name) {
        String text = Values.requireText(value, name, Values.MAX_SUBJECT_LENGTH);
        boolean spaceAtAnEnd =
                Character.isSpaceChar(text.charAt(0))
                        || Character.isSpaceChar(text.charAt(text.length() - 1));
        if (!text.equals(value) || spaceAtAnEnd) {
            throw new InvalidRequestException(name + " must not begin or end with white space");
        }
    }

    private static void requireQuarterHours(ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        if (zone.normalized() instanceof ZoneOffset offset
                && offset.getTotalSeconds() % TimelineBuckets.WIDTH.toSeconds() != 0) {
            throw new InvalidRequestException(
                    "zone must be a region or an offset of whole quarter hours, such as +05:45,"
                            + " not "
                            + offset);
        }
    }

    private String ipAddress(ClientInfo client) {
        return IpAddresses.apply(settings.ipAddressPolicy(), client.ipAddress());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * Returns the open a pixel fetch makes, judged by the classifier; or null when there is none to
     * record: a malformed or unknown id, a {@code HEAD} request, a failing store (counted as
     * dropped), or a repeat that the collapser swallows.
     */
    private OpenEvent openToRecord(String trackingId, ClientInfo client) {
        Optional<TrackingId> id = TrackingId.parse(trackingId);
        if (id.isEmpty() || isHead(client)) {
            return null;
        }
        Instant sentAt = sentAtQuietly(id.get(), "open");
        if (sentAt == null) {
            return null;
        }

        Instant now = now();
        Classification classification =
                classify(id.get(), EventKind.OPEN, null, now, sentAt, client);
        OpenEvent open =
                new OpenEvent(id.get(), now, ipAddress(client), client.userAgent(), classification);
        if (collapser != null
                && collapser.isRepeat(
                        open, IpAddresses.apply(IpAddressPolicy.FULL, client.ipAddress()))) {
            return null;
        }
        return open;
    }

    private boolean storedOrDropped(Boolean stored, Throwable failure) {
        if (failure == null) {
            return stored;
        }
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        if (cause instanceof RuntimeException e) {
            dropped.add("open", e);
            return false;
        }
        throw new CompletionException(cause);
    }

    private boolean recordQuietly(TrackingEvent event, String kind) {
        try {
            return store.record(event);
        } catch (RuntimeException e) {
            // A store that breaks the SPI by failing otherwise than with a StoreException still
            // only drops the event, as it does on the asynchronous path.
            dropped.add(kind, e);
            return false;
        }
    }

    private void recordOrNotFound(TrackingEvent event) {
        if (!store.record(event)) {
            throw unknownEmail();
        }
    }

    private TrackingId knownId(String trackingId) {
        return TrackingId.parse(trackingId).orElseThrow(EmailTracker::unknownEmail);
    }

    private TrackedEmail findEmail(String trackingId) {
        return store.findEmail(knownId(trackingId)).orElseThrow(EmailTracker::unknownEmail);
    }

    private Campaign visibleCampaign(Viewer viewer, String campaignId) {
        return visibleCampaignIfAny(viewer, campaignId)
                .orElseThrow(() -> new NotFoundException("no campaign has this id"));
    }

    private Optional<Campaign> visibleCampaignIfAny(Viewer viewer, String campaignId) {
        return CampaignId.parse(campaignId).flatMap(store::findCampaign).filter(viewer::canSee);
    }

    private boolean canSeeEmail(Viewer viewer, TrackingId trackingId) {
        return store.findEmail(trackingId)
                .map(email -> canSee(viewer, email.campaignId()))
                .orElse(false);
    }

    private boolean canSee(Viewer viewer, CampaignId campaignId) {
        return store.findCampaign(campaignId).filter(viewer::canSee).isPresent();
    }

    private void checkLinkCount(int count) {
        if (count > settings.maxLinksPerEmail()) {
            throw new InvalidRequestException(
                    "an email may have at most " + settings.maxLinksPerEmail() + " distinct links");
        }
    }

    /** Returns the distinct links, in order; a link given twice counts once toward the limit. */
    private Set<String> validLinks(List<String> links) {
        Set<String> originals = new LinkedHashSet<>();
        for (String url : links) {
            if (WebLink.parse(url).isEmpty()) {
                throw new InvalidRequestException(
                        "each link must be "
                                + WebLink.REQUIREMENT
                                + "; this one is not: "
                                + Values.excerpt(url));
            }
            if (TrackingLinks.isMadeForAnEmail(this.links.baseUrl(), url)) {
                throw new InvalidRequestException(
                        "links holds the pixel, a click link or the unsubscribe link of another"
                                + " email of this tracker, where the new email's clicks would count"
                                + " for that one: give the link it leads to, not "
                                + Values.excerpt(url));
            }
            originals.add(url);
            checkLinkCount(originals.size());
        }
        return originals;
    }

    private static CampaignReport report(Campaign campaign, CampaignTotals totals) {
        long sent = totals.sentCount();
        return new CampaignReport(
                campaign,
                totals,
                Rates.percent(totals.openedCount(), sent),
                Rates.percent(totals.clickedCount(), sent),
                Rates.percent(totals.repliedCount(), sent),
                Rates.percent(totals.person().openedCount(), sent),
                Rates.percent(totals.person().clickedCount(), sent));
    }

    private static NotFoundException unknownEmail() {
        return new NotFoundException("no email has this tracking id");
    }

    /**
     * Builds an {@link EmailTracker}. Each setter checks its value at once and names a bad one in
     * its exception; {@link #store} and {@link #publicBaseUrl} are required.
     */
    public static final class Builder {

        private TrackingStore store;
        private String publicBaseUrl;
        private Clock clock = Clock.systemUTC();
        private IdGenerator idGenerator = IdGenerator.secureRandom();
        private byte[] linkSigningKey;
        private long maxAttachmentBytes = TrackerSettings.DEFAULT_MAX_ATTACHMENT_BYTES;
        private Set<String> allowedRedirectHosts = Set.of();
        private int topLinkLimit = TrackerSettings.DEFAULT_TOP_LINK_LIMIT;
        private int maxLinksPerEmail = TrackerSettings.DEFAULT_MAX_LINKS_PER_EMAIL;
        private int maxReplyMessageChars = TrackerSettings.DEFAULT_MAX_REPLY_MESSAGE_CHARS;
        private Duration collapseOpensWithin = Duration.ZERO;
        private IpAddressPolicy ipAddressPolicy = IpAddressPolicy.FULL;
        private EventClassifier classifier = EventClassifier.defaults();

        private Builder() {}

        /** Sets the store that keeps everything. Required. */
        public Builder store(TrackingStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Sets the public URL under which the routes are served, such as {@code
         * https://track.example.com/api/track}; open and click URLs start with it. Required.
         *
         * @throws IllegalArgumentException if it is not an absolute http or https URL written in
         *     ASCII (it goes into mail headers), or has user info, a query, a fragment, port 0, a
         *     host no browser reaches, or in its path a character RFC 3986 does not allow there or
         *     a {@code ;}, an empty, {@code .} or {@code ..} segment (escaped or not), an escaped
         *     slash, backslash, {@code %} or control character, an escape of no UTF-8 text, or a
         *     {@code %} that begins no escape
         */
        public Builder publicBaseUrl(String publicBaseUrl) {
            this.publicBaseUrl = TrackingLinks.checkBaseUrl(publicBaseUrl);
            return this;
        }

        /** Sets the clock that stamps events; defaults to the system clock in UTC. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Sets where new ids come from; defaults to {@link IdGenerator#secureRandom()}. */
        public Builder idGenerator(IdGenerator idGenerator) {
            this.idGenerator = Objects.requireNonNull(idGenerator, "idGenerator");
            return this;
        }

        /**
         * Sets the key that signs click links. Defaults to a random key kept in the store, so every
         * node sharing the store uses the same one. Changing the key breaks the signed links of
         * mail already sent (their registered links still redirect).
         *
         * @throws IllegalArgumentException if the key is shorter than 32 bytes
         */
        public Builder linkSigningKey(byte[] key) {
            new LinkSigner(Objects.requireNonNull(key, "key"));
            this.linkSigningKey = key.clone();
            return this;
        }

        /**
         * Sets the largest reply attachment accepted, in bytes; defaults to 25 MiB (26,214,400).
         *
         * @throws IllegalArgumentException if it is not positive, or over {@link
         *     #MAX_ATTACHMENT_LIMIT}
         */
        public Builder maxAttachmentBytes(long maxAttachmentBytes) {
            positive(maxAttachmentBytes, "maxAttachmentBytes");
            if (maxAttachmentBytes > MAX_ATTACHMENT_LIMIT) {
                throw new IllegalArgumentException(
                        "maxAttachmentBytes must be at most "
                                + MAX_ATTACHMENT_LIMIT
                                + " (1 TiB), not "
                                + maxAttachmentBytes);
            }
            this.maxAttachmentBytes = maxAttachmentBytes;
            return this;
        }

        /**
         * Sets hosts that clicks may redirect to without a signature or a registered link, such as
         * the sender's own site, on any scheme, port and path. Matched exactly, ignoring case;
         * defaults to none.
         *
         * @throws IllegalArgumentException if an entry is not a host name alone: one with a scheme,
         *     port, path, query, fragment or user would allow more than it names
         */
        public Builder allowedRedirectHosts(Collection<String> hosts) {
            this.allowedRedirectHosts =
                    TrackingLinks.checkHosts(Objects.requireNonNull(hosts, "hosts"));
            return this;
        }

        /** Sets how many links a campaign report's top-links list holds; defaults to 10. */
        public Builder topLinkLimit(int topLinkLimit) {
            this.topLinkLimit = (int) positive(topLinkLimit, "topLinkLimit");
            return this;
        }

        /** Sets how many links one email may register; defaults to 1,000. */
        public Builder maxLinksPerEmail(int maxLinksPerEmail) {
            this.maxLinksPerEmail = (int) positive(maxLinksPerEmail, "maxLinksPerEmail");
            return this;
        }

        /**
         * Sets the longest reply text kept, in characters; longer ones are refused. Defaults to
         * 100,000.
         */
        public Builder maxReplyMessageChars(int maxReplyMessageChars) {
            this.maxReplyMessageChars =
                    (int) positive(maxReplyMessageChars, "maxReplyMessageChars");
            return this;
        }

        /**
         * Collapses repeated opens: an open of an email by the same client (its whole address,
         * whatever {@link #ipAddressPolicy} keeps of it, and its user agent) within {@code window}
         * of its last counted open is not recorded, so that one script cannot inflate a campaign.
         * Off by default, where every open is kept and counted. The memory of recent opens is per
         * process; see the README.
         *
         * @throws IllegalArgumentException if the window is negative or longer than a day
         */
        public Builder collapseRepeatedOpens(Duration window) {
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || window.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException(
                        "the collapse window must be from 0 to 1 day, not " + window);
            }
            this.collapseOpensWithin = window;
            return this;
        }

        /**
         * Sets how much of a client's address is kept with each open and click; defaults to {@link
         * IpAddressPolicy#FULL}. The classifier judges an event by the full address, which it does
         * not keep.
         */
        public Builder ipAddressPolicy(IpAddressPolicy policy) {
            this.ipAddressPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sets the classifier that judges every open and click; defaults to {@link
         * EventClassifier#defaults()}, the built-in rules. A host with rules or address lists of
         * its own builds one with {@link EventClassifier#builder()}.
         *
         * <p>Note: the timing rules see what an email did recently as this process remembers it
         * (its last events over the last two minutes, for up to 100,000 emails). Several nodes
         * sharing one database each see only their own part; a burst of clicks spread over them may
         * go unnoticed.
         */
        public Builder classifier(EventClassifier classifier) {
            this.classifier = Objects.requireNonNull(classifier, "classifier");
            return this;
        }

        /**
         * Builds the tracker. Without a link-signing key, the store's is read, or created on first
         * use.
         *
         * @throws IllegalStateException if the store or the public base URL is missing
         * @throws StoreException if the store's key cannot be read or created, as when the store is
         *     closed, or the store keeps something else than a key of at least 32 bytes in its
         *     place
         */
        public EmailTracker build() {
            if (store == null || publicBaseUrl == null) {
                throw new IllegalStateException(
                        (store == null ? "store" : "publicBaseUrl") + " is required");
            }
            byte[] key = linkSigningKey != null ? linkSigningKey : LinkKeys.fromStore(store);
            TrackerSettings settings =
                    new TrackerSettings(
                            store,
                            publicBaseUrl,
                            clock,
                            idGenerator,
                            maxAttachmentBytes,
                            allowedRedirectHosts,
                            topLinkLimit,
                            maxLinksPerEmail,
                            maxReplyMessageChars,
                            collapseOpensWithin,
                            ipAddressPolicy,
                            classifier);
            return new EmailTracker(settings, new LinkSigner(key));
        }

        private static long positive(long value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, not " + value);
            }
            return value;
        }
    }
}
