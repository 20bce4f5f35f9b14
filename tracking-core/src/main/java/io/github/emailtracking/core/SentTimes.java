package io.github.emailtracking.core;

import io.github.emailtracking.api.TrackingId;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Remembers when recently active emails were sent, so that judging their opens and clicks needs no
 * store read once an email is known. An email's sending time never changes once it is registered,
 * so a remembered one is never stale; an erased email may still be remembered, and its events are
 * then refused by the store as before.
 *
 * <p>The memory has {@value #SLOTS} slots, each email having one chosen by its id, and a newcomer
 * takes the slot of the email that held it: a few MB at most, and no lock on the open route.
 * Thread-safe.
 */
final class SentTimes {

    /** How many emails are remembered at most. */
    static final int SLOTS = 1 << 16;

    private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);

    /** Returns when the email was sent, or null when it is not remembered. */
    Instant find(TrackingId email) {
        Entry entry = slots.get(slot(email));
        return entry != null && entry.email().equals(email) ? entry.sentAt() : null;
    }

    /** Remembers when the email was sent. */
    void remember(TrackingId email, Instant sentAt) {
        slots.set(slot(email), new Entry(email, sentAt));
    }

    private static int slot(TrackingId email) {
        int hash = email.value().hashCode();
        return (hash ^ (hash >>> 16)) & (SLOTS - 1);
    }

    private record Entry(TrackingId email, Instant sentAt) {}
}
