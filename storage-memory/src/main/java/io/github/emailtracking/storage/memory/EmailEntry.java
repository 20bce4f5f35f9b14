package io.github.emailtracking.storage.memory;

import io.github.emailtracking.api.AttachmentInfo;
import io.github.emailtracking.api.BounceEvent;
import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.EmailCounters;
import io.github.emailtracking.api.EmailStatus;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.ReminderEvent;
import io.github.emailtracking.api.ReplyEvent;
import io.github.emailtracking.api.TrackedEmail;
import io.github.emailtracking.api.TrackingEvent;
import io.github.emailtracking.api.UnsubscribeEvent;
import io.github.emailtracking.api.spi.RecipientKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One email: its registered links, its counters and its event rows. Every change also moves the
 * aggregates of its campaign's shard, whose lock guards it.
 */
final class EmailEntry {

    private final TrackedEmail email;
    private final String recipientKey;
    private final Set<String> links;
    private final CampaignEntry campaign;
    private final CampaignAggregates shard;
    private final int maxEventsPerKind;
    private final EventRows<OpenEvent, ?> opens = EventRows.opens();
    private final EventRows<ClickEvent, ?> clicks = EventRows.clicks();
    private final List<ReplyEvent> replies = new ArrayList<>();
    private final List<TrackingEvent> others = new ArrayList<>();
    private final List<AttachmentInfo> attachments = new ArrayList<>();
    private long openCount;
    private long clickCount;
    private Instant firstOpenAt;
    private Instant lastOpenAt;
    private Instant firstClickAt;
    private Instant repliedAt;
    private Instant reminderSentAt;
    private Instant bouncedAt;
    private Instant unsubscribedAt;
    private Instant personFirstOpenAt;
    private Instant personFirstClickAt;

    EmailEntry(
            TrackedEmail email, Set<String> links, CampaignEntry campaign, int maxEventsPerKind) {
        this.email = email;
        this.recipientKey = RecipientKeys.of(email.recipientEmail());
        this.links = links;
        this.campaign = campaign;
        this.shard = campaign.shardOf(email.trackingId());
        this.maxEventsPerKind = maxEventsPerKind;
    }

    TrackedEmail email() {
        return email;
    }

    /** Returns the key an erasure finds the email's recipient by. */
    String recipientKey() {
        return recipientKey;
    }

    Set<String> links() {
        return links;
    }

    CampaignEntry campaign() {
        return campaign;
    }

    /** Returns the aggregates of the email's shard of its campaign, which are also its lock. */
    CampaignAggregates shard() {
        return shard;
    }

    List<AttachmentInfo> attachments() {
        return attachments;
    }

    void add(TrackingEvent event) {
        if (event instanceof OpenEvent open) {
            addOpen(open);
        } else if (event instanceof ClickEvent click) {
            addClick(click);
        } else if (event instanceof ReplyEvent reply) {
            addReply(reply);
        } else if (event instanceof ReminderEvent reminder) {
            others.add(reminder);
            reminderSentAt = earliest(reminderSentAt, reminder.at());
        } else if (event instanceof BounceEvent bounce) {
            addBounce(bounce);
        } else if (event instanceof UnsubscribeEvent unsubscribe) {
            others.add(unsubscribe);
            if (unsubscribedAt == null) {
                shard.countUnsubscribed();
            }
            unsubscribedAt = earliest(unsubscribedAt, unsubscribe.at());
        }
    }

    EmailStatus status(Page page) {
        EmailCounters counters =
                new EmailCounters(
                        openCount,
                        clickCount,
                        firstOpenAt,
                        lastOpenAt,
                        firstClickAt,
                        repliedAt,
                        reminderSentAt,
                        bouncedAt,
                        unsubscribedAt);
        return new EmailStatus(
                email,
                counters,
                opens.window(email.trackingId(), page),
                clicks.window(email.trackingId(), page),
                window(attachments, page));
    }

    long deleteEventsBefore(Instant cutoff) {
        long deleted = opens.deleteBefore(cutoff) + clicks.deleteBefore(cutoff);
        for (List<? extends TrackingEvent> rows : List.of(replies, others)) {
            int before = rows.size();
            rows.removeIf(event -> event.at().isBefore(cutoff));
            deleted += before - rows.size();
        }
        return deleted;
    }

    private void addOpen(OpenEvent open) {
        boolean byPerson = open.classification().verdict().isPerson();
        openCount++;
        if (opens.size() < maxEventsPerKind) {
            opens.add(open);
        }
        lastOpenAt = latest(lastOpenAt, open.at());
        shard.countOpen(open.at(), !byPerson);

        Instant before = firstOpenAt;
        firstOpenAt = earliest(firstOpenAt, open.at());
        moveIfChanged(shard.opened, before, firstOpenAt);
        if (byPerson) {
            openedByPerson(open.at());
        }
    }

    private void addClick(ClickEvent click) {
        boolean byPerson = click.classification().verdict().isPerson();
        clickCount++;
        if (clicks.size() < maxEventsPerKind) {
            clicks.add(click);
        }
        shard.countClick(click.at(), click.url(), !byPerson);

        Instant before = firstClickAt;
        firstClickAt = earliest(firstClickAt, click.at());
        moveIfChanged(shard.clicked, before, firstClickAt);
        if (byPerson) {
            Instant personBefore = personFirstClickAt;
            personFirstClickAt = earliest(personFirstClickAt, click.at());
            moveIfChanged(shard.personClicked, personBefore, personFirstClickAt);
            openedByPerson(click.at());
        }
    }

    private void addReply(ReplyEvent reply) {
        boolean retry =
                reply.messageId() != null
                        && replies.stream().anyMatch(r -> reply.messageId().equals(r.messageId()));
        if (retry) {
            return;
        }
        replies.add(reply);
        shard.countReply(reply.at(), repliedAt == null);
        repliedAt = earliest(repliedAt, reply.at());
        openedByPerson(reply.at());
    }

    private void addBounce(BounceEvent bounce) {
        others.add(bounce);
        if (bouncedAt == null) {
            shard.countBounced();
        }
        bouncedAt = earliest(bouncedAt, bounce.at());
    }

    /**
     * Accounts for an open by a person at {@code at}: a pixel fetch, or one that a person's click
     * or a reply implies. Only the person figures count an implied open; the raw first open is that
     * of the pixel alone.
     */
    private void openedByPerson(Instant at) {
        Instant before = personFirstOpenAt;
        personFirstOpenAt = earliest(personFirstOpenAt, at);
        moveIfChanged(shard.personOpened, before, personFirstOpenAt);
    }

    private void moveIfChanged(FirstTimes firsts, Instant before, Instant after) {
        if (!after.equals(before)) {
            firsts.move(email.sentAt(), before, after);
        }
    }

    private static <T> List<T> window(List<T> events, Page page) {
        int to = Math.max(0, events.size() - page.offset());
        int from = Math.max(0, to - page.limit());
        return List.copyOf(events.subList(from, to));
    }

    private static Instant earliest(Instant current, Instant candidate) {
        return current == null || candidate.isBefore(current) ? candidate : current;
    }

    private static Instant latest(Instant current, Instant candidate) {
        return current == null || candidate.isAfter(current) ? candidate : current;
    }
}
