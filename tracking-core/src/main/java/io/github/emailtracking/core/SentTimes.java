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
 * <p>The memory has {@value #SLOTS} slots, and each email two of them, chosen by two hashes of its
 * id: it is looked for in both, and a newcomer takes the first that is free or already its own,
 * replacing the holder of its first slot only when both are taken. With one slot per email, two
 * active emails that shared it would push each other out on every event, and each of their events
 * would read the store; with two, that takes three emails on the same pair of slots. A few MB at
 * most, and no lock on the open route. Thread-safe.
 */
final class SentTimes {

    /** How many emails are remembered at most. */
    static final int SLOTS = 1 << 16;

    private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);

    /** Returns when the email was sent, or null when it is not remembered. */
    Instant find(TrackingId email) {
        int hash = email.value().hashCode();
        Instant first = sentAtIn(firstSlot(hash), email);
        return first != null ? first : sentAtIn(secondSlot(hash), email);
    }

    /** Remembers when the email was sent. */
    void remember(TrackingId email, Instant sentAt) {
        int hash = email.value().hashCode();
        int first = firstSlot(hash);
        int second = secondSlot(hash);
        Entry entry = new Entry(email, sentAt);

        if (isFreeFor(second, email) && !isFreeFor(first, email)) {
            slots.set(second, entry);
        } else {
            slots.set(first, entry);
        }
    }

    private Instant sentAtIn(int slot, TrackingId email) {
        Entry entry = slots.get(slot);
        return entry != null && entry.email().equals(email) ? entry.sentAt() : null;
    }

    private boolean isFreeFor(int slot, TrackingId email) {
        Entry entry = slots.get(slot);
        return entry == null || entry.email().equals(email);
    }

    /** The slot of the hash's low bits, folded with its high ones. */
    static int firstSlot(int hash) {
        return (hash ^ (hash >>> 16)) & (SLOTS - 1);
    }

    /** A slot from the hash multiplied by an odd constant, whose high bits mix all of the hash. */
    static int secondSlot(int hash) {
        return (hash * 0x9E3779B1) >>> (Integer.SIZE - Integer.numberOfTrailingZeros(SLOTS));
    }

    private record Entry(TrackingId email, Instant sentAt) {}
}
