package io.github.emailtracking.core;

import io.github.emailtracking.api.TrackingId;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Remembers what each email did in the last two minutes, so that the classifier can see an event in
 * its company: when the email last had an event at another target, and how many distinct links of
 * it were clicked within the link burst window. Keeps the last {@value Thresholds#MAX_BURST_COUNT}
 * events of each of at most {@value #MAX_EMAILS} emails (time and target only: no address or user
 * agent), forgetting the least recently active email first.
 *
 * <p>The memory is split in {@value #STRIPES} stripes, each with its own lock and a share of the
 * emails, so that opens of different emails rarely wait for each other: the email forgotten first
 * is the least recently active one of its stripe, which holds at most {@value #EMAILS_PER_STRIPE}.
 *
 * <p>Note: the memory is per process. Behind several nodes, a burst of clicks spread over the nodes
 * is seen in parts, each node counting only its own. Thread-safe.
 */
final class RecentActivity {

    /**
     * Most emails remembered; at about 200 bytes for an email with a few events, some 20 MB, and 35
     * MB if every email had a full burst.
     */
    static final int MAX_EMAILS = 100_000;

    /** How many independently locked parts the memory has. */
    static final int STRIPES = 64;

    private static final int STRIPE_BITS = Integer.numberOfTrailingZeros(STRIPES);

    /** Most emails remembered by one stripe. */
    static final int EMAILS_PER_STRIPE = MAX_EMAILS / STRIPES;

    private static final long MEMORY_MILLIS = Thresholds.MAX_WINDOW.toMillis();
    private static final int FIRST_CAPACITY = 2;

    private final long burstWindowMillis;
    private final Stripe[] stripes = new Stripe[STRIPES];

    /**
     * Creates the memory for a classifier's link burst window.
     *
     * @throws IllegalArgumentException if the window is longer than the memory
     */
    RecentActivity(Duration linkBurstWindow) {
        if (linkBurstWindow.isNegative() || linkBurstWindow.compareTo(Thresholds.MAX_WINDOW) > 0) {
            throw new IllegalArgumentException(
                    "the link burst window must be from 0 to "
                            + DurationFormat.format(Thresholds.MAX_WINDOW)
                            + ", not "
                            + linkBurstWindow);
        }
        this.burstWindowMillis = linkBurstWindow.toMillis();
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    /**
     * Remembers an event of an email and returns what the email did around it.
     *
     * @param url the link followed, for a click; ignored for an open
     */
    Recent remember(TrackingId email, EventKind kind, Instant at, String url) {
        String target = kind == EventKind.CLICK ? Objects.requireNonNull(url, "url") : null;
        Stripe stripe = stripes[stripeOf(email.value())];
        return stripe.remember(email.value(), target, at.toEpochMilli(), burstWindowMillis);
    }

    /**
     * Returns the stripe of an email: the top bits of its scrambled hash, so that the emails of one
     * stripe still spread over the stripe's map, which picks a bucket by the low bits.
     */
    static int stripeOf(String email) {
        return (email.hashCode() * 0x9E3779B9) >>> (Integer.SIZE - STRIPE_BITS);
    }

    /**
     * What an email did around one of its events.
     *
     * @param previousOtherEventAt when it last had an event at another target, or null
     * @param distinctLinks for a click, the distinct links clicked within the burst window, this
     *     one included; 0 for an open
     */
    record Recent(Instant previousOtherEventAt, int distinctLinks) {}

    /** Some of the emails, least recently active first, under a lock of their own. */
    private static final class Stripe {

        private final Map<String, Events> byEmail =
                new LinkedHashMap<>(64, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Events> eldest) {
                        return size() > EMAILS_PER_STRIPE;
                    }
                };

        synchronized Recent remember(String email, String target, long time, long burstWindow) {
            Events events = byEmail.computeIfAbsent(email, id -> new Events());
            events.forgetBefore(time - MEMORY_MILLIS);

            Recent recent =
                    new Recent(
                            events.lastAtOtherTarget(target),
                            target == null ? 0 : events.distinctLinks(target, time, burstWindow));
            events.add(time, target);
            return recent;
        }
    }

    /** The last events of one email, oldest first; an open's target is null. */
    private static final class Events {

        private long[] times = new long[FIRST_CAPACITY];
        private String[] targets = new String[FIRST_CAPACITY];
        private int size;

        void add(long time, String target) {
            if (size == Thresholds.MAX_BURST_COUNT) {
                drop(0);
            } else if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                targets = Arrays.copyOf(targets, size * 2);
            }
            times[size] = time;
            targets[size] = target;
            size++;
        }

        void forgetBefore(long cutoff) {
            for (int i = size - 1; i >= 0; i--) {
                if (times[i] < cutoff) {
                    drop(i);
                }
            }
        }

        Instant lastAtOtherTarget(String target) {
            long last = Long.MIN_VALUE;
            for (int i = 0; i < size; i++) {
                if (!Objects.equals(targets[i], target) && times[i] > last) {
                    last = times[i];
                }
            }
            return last == Long.MIN_VALUE ? null : Instant.ofEpochMilli(last);
        }

        /**
         * Counts {@code link} and the other links clicked within {@code window} of {@code time}.
         */
        int distinctLinks(String link, long time, long window) {
            int count = 1;
            for (int i = 0; i < size; i++) {
                boolean other = targets[i] != null && !targets[i].equals(link);
                if (other && within(i, time, window) && !seenBefore(i, time, window)) {
                    count++;
                }
            }
            return count;
        }

        private boolean seenBefore(int index, long time, long window) {
            for (int i = 0; i < index; i++) {
                if (targets[index].equals(targets[i]) && within(i, time, window)) {
                    return true;
                }
            }
            return false;
        }

        private boolean within(int index, long time, long window) {
            return Math.abs(time - times[index]) <= window;
        }

        private void drop(int index) {
            System.arraycopy(times, index + 1, times, index, size - index - 1);
            System.arraycopy(targets, index + 1, targets, index, size - index - 1);
            size--;
            targets[size] = null;
        }
    }
}
