package io.github.emailtracking.storage.memory;

import io.github.emailtracking.api.AttachmentId;
import io.github.emailtracking.api.AttachmentInfo;
import io.github.emailtracking.api.BounceEvent;
import io.github.emailtracking.api.BounceType;
import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.CampaignId;
import io.github.emailtracking.api.CampaignTotals;
import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.DailyEngagement;
import io.github.emailtracking.api.EmailCounters;
import io.github.emailtracking.api.EmailStatus;
import io.github.emailtracking.api.LinkClicks;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.ReminderEvent;
import io.github.emailtracking.api.ReplyEvent;
import io.github.emailtracking.api.StoreException;
import io.github.emailtracking.api.TrackedEmail;
import io.github.emailtracking.api.TrackingEvent;
import io.github.emailtracking.api.TrackingId;
import io.github.emailtracking.api.UnsubscribeEvent;
import io.github.emailtracking.api.spi.TrackingStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Keeps everything in the memory of this process; nothing survives it. Reports are computed from
 * the events each time, which is simple and exact but slows down with many events.
 *
 * <p>Thread-safe: each email's events are guarded by the email's own lock.
 */
public final class MemoryTrackingStore implements TrackingStore {

    private final Map<CampaignId, Campaign> campaigns = new ConcurrentHashMap<>();
    private final Map<CampaignId, List<EmailEntry>> emailsByCampaign = new ConcurrentHashMap<>();
    private final Map<TrackingId, EmailEntry> emails = new ConcurrentHashMap<>();
    private final Map<AttachmentId, StoredFile> files = new ConcurrentHashMap<>();
    private final Map<String, String> settings = new ConcurrentHashMap<>();

    /** Creates an empty store. */
    public MemoryTrackingStore() {}

    @Override
    public void saveCampaign(Campaign campaign) {
        if (campaigns.putIfAbsent(campaign.id(), campaign) != null) {
            throw new StoreException("a campaign with id " + campaign.id() + " exists");
        }
        emailsByCampaign.put(campaign.id(), new CopyOnWriteArrayList<>());
    }

    @Override
    public Optional<Campaign> findCampaign(CampaignId id) {
        return Optional.ofNullable(campaigns.get(id));
    }

    @Override
    public void saveEmail(TrackedEmail email, Set<String> links) {
        EmailEntry entry = new EmailEntry(email, Set.copyOf(links));
        if (emails.putIfAbsent(email.trackingId(), entry) != null) {
            throw new StoreException("an email with tracking id " + email.trackingId() + " exists");
        }
        emailsByCampaign
                .computeIfAbsent(email.campaignId(), id -> new CopyOnWriteArrayList<>())
                .add(entry);
    }

    @Override
    public Optional<TrackedEmail> findEmail(TrackingId id) {
        return Optional.ofNullable(emails.get(id)).map(entry -> entry.email);
    }

    @Override
    public boolean isLinkRegistered(TrackingId id, String url) {
        EmailEntry entry = emails.get(id);
        return entry != null && entry.links.contains(url);
    }

    @Override
    public boolean record(TrackingEvent event) {
        EmailEntry entry = emails.get(event.trackingId());
        if (entry == null) {
            return false;
        }
        entry.add(event);
        return true;
    }

    @Override
    public Optional<EmailStatus> status(TrackingId id, Page page) {
        return Optional.ofNullable(emails.get(id)).map(entry -> entry.status(page));
    }

    @Override
    public Optional<CampaignTotals> campaignTotals(CampaignId id, ZoneId zone, int topLinkLimit) {
        if (!campaigns.containsKey(id)) {
            return Optional.empty();
        }
        CampaignTally tally = new CampaignTally(zone);
        emailsByCampaign.getOrDefault(id, List.of()).forEach(entry -> entry.addTo(tally));
        return Optional.of(tally.totals(topLinkLimit));
    }

    @Override
    public AttachmentInfo saveAttachment(AttachmentInfo info, InputStream content)
            throws IOException {
        EmailEntry entry = emails.get(info.trackingId());
        if (entry == null) {
            throw new StoreException("no email has tracking id " + info.trackingId());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        content.transferTo(bytes);
        AttachmentInfo stored = info.withFileSize(bytes.size());
        files.put(stored.id(), new StoredFile(stored, bytes.toByteArray()));
        entry.addAttachment(stored);
        return stored;
    }

    @Override
    public Optional<AttachmentInfo> findAttachment(AttachmentId id) {
        return Optional.ofNullable(files.get(id)).map(StoredFile::info);
    }

    @Override
    public boolean copyAttachment(AttachmentId id, OutputStream out) throws IOException {
        StoredFile file = files.get(id);
        if (file == null) {
            return false;
        }
        out.write(file.content());
        return true;
    }

    @Override
    public String setting(String name, Supplier<String> initialValue) {
        return settings.computeIfAbsent(name, key -> initialValue.get());
    }

    private record StoredFile(AttachmentInfo info, byte[] content) {}

    /** One email, its registered links and its events; guarded by its own lock. */
    private static final class EmailEntry {

        private final TrackedEmail email;
        private final Set<String> links;
        private final List<OpenEvent> opens = new ArrayList<>();
        private final List<ClickEvent> clicks = new ArrayList<>();
        private final List<ReplyEvent> replies = new ArrayList<>();
        private final List<AttachmentInfo> attachments = new ArrayList<>();
        private Instant reminderSentAt;
        private Instant bouncedAt;
        private Instant unsubscribedAt;

        EmailEntry(TrackedEmail email, Set<String> links) {
            this.email = email;
            this.links = links;
        }

        synchronized void add(TrackingEvent event) {
            if (event instanceof OpenEvent open) {
                opens.add(open);
            } else if (event instanceof ClickEvent click) {
                clicks.add(click);
            } else if (event instanceof ReplyEvent reply) {
                replies.add(reply);
            } else if (event instanceof ReminderEvent reminder) {
                reminderSentAt = earliest(reminderSentAt, reminder.at());
            } else if (event instanceof BounceEvent bounce && bounce.type() == BounceType.HARD) {
                bouncedAt = earliest(bouncedAt, bounce.at());
            } else if (event instanceof UnsubscribeEvent unsubscribe) {
                unsubscribedAt = earliest(unsubscribedAt, unsubscribe.at());
            }
        }

        synchronized void addAttachment(AttachmentInfo info) {
            attachments.add(info);
        }

        synchronized EmailStatus status(Page page) {
            return new EmailStatus(
                    email,
                    counters(),
                    window(opens, page),
                    window(clicks, page),
                    window(attachments, page));
        }

        synchronized void addTo(CampaignTally tally) {
            tally.add(email, counters(), opens, clicks, replies);
        }

        private EmailCounters counters() {
            return new EmailCounters(
                    opens.size(),
                    clicks.size(),
                    opens.stream().map(OpenEvent::at).min(Comparator.naturalOrder()).orElse(null),
                    opens.stream().map(OpenEvent::at).max(Comparator.naturalOrder()).orElse(null),
                    clicks.stream().map(ClickEvent::at).min(Comparator.naturalOrder()).orElse(null),
                    replies.stream()
                            .map(ReplyEvent::at)
                            .min(Comparator.naturalOrder())
                            .orElse(null),
                    reminderSentAt,
                    bouncedAt,
                    unsubscribedAt);
        }

        private static <T> List<T> window(List<T> events, Page page) {
            int to = Math.max(0, events.size() - page.offset());
            int from = Math.max(0, to - page.limit());
            return List.copyOf(events.subList(from, to));
        }

        private static Instant earliest(Instant current, Instant candidate) {
            return current == null || candidate.isBefore(current) ? candidate : current;
        }
    }

    /** Adds up the emails of one campaign. */
    private static final class CampaignTally {

        private final ZoneId zone;
        private long sent;
        private long opened;
        private long clicked;
        private long replied;
        private long bounced;
        private long unsubscribed;
        private long openDelayMillis;
        private long clickDelayMillis;
        private final Map<String, Long> clicksByUrl = new HashMap<>();
        private final Map<LocalDate, long[]> days = new TreeMap<>();

        CampaignTally(ZoneId zone) {
            this.zone = zone;
        }

        void add(
                TrackedEmail email,
                EmailCounters counters,
                List<OpenEvent> opens,
                List<ClickEvent> clicks,
                List<ReplyEvent> replies) {
            sent++;
            if (counters.firstOpenAt() != null) {
                opened++;
                openDelayMillis += delayMillis(email.sentAt(), counters.firstOpenAt());
            }
            if (counters.firstClickAt() != null) {
                clicked++;
                clickDelayMillis += delayMillis(email.sentAt(), counters.firstClickAt());
            }
            replied += counters.replied() ? 1 : 0;
            bounced += counters.bouncedAt() != null ? 1 : 0;
            unsubscribed += counters.unsubscribedAt() != null ? 1 : 0;

            opens.forEach(open -> day(open.at())[0]++);
            clicks.forEach(click -> day(click.at())[1]++);
            replies.forEach(reply -> day(reply.at())[2]++);
            clicks.forEach(click -> clicksByUrl.merge(click.url(), 1L, Long::sum));
        }

        CampaignTotals totals(int topLinkLimit) {
            List<LinkClicks> topLinks =
                    clicksByUrl.entrySet().stream()
                            .map(e -> new LinkClicks(e.getKey(), e.getValue()))
                            .sorted(
                                    Comparator.comparingLong(LinkClicks::clicks)
                                            .reversed()
                                            .thenComparing(LinkClicks::url, CODE_POINT_ORDER))
                            .limit(topLinkLimit)
                            .toList();
            List<DailyEngagement> timeline = new ArrayList<>();
            days.forEach((date, n) -> timeline.add(new DailyEngagement(date, n[0], n[1], n[2])));
            return new CampaignTotals(
                    sent,
                    opened,
                    clicked,
                    replied,
                    bounced,
                    unsubscribed,
                    opened == 0 ? null : Duration.ofMillis(openDelayMillis / opened),
                    clicked == 0 ? null : Duration.ofMillis(clickDelayMillis / clicked),
                    topLinks,
                    timeline);
        }

        private long[] day(Instant at) {
            return days.computeIfAbsent(LocalDate.ofInstant(at, zone), d -> new long[3]);
        }

        private static long delayMillis(Instant sentAt, Instant at) {
            return Math.max(0, Duration.between(sentAt, at).toMillis());
        }
    }

    /** Orders strings by Unicode code point, as databases compare UTF-8 bytes. */
    private static final Comparator<String> CODE_POINT_ORDER =
            (a, b) -> {
                int i = 0;
                int j = 0;
                while (i < a.length() && j < b.length()) {
                    int ca = a.codePointAt(i);
                    int cb = b.codePointAt(j);
                    if (ca != cb) {
                        return Integer.compare(ca, cb);
                    }
                    i += Character.charCount(ca);
                    j += Character.charCount(cb);
                }
                return Integer.compare(a.length() - i, b.length() - j);
            };
}
