package io.github.emailtracking.core;

import java.time.Duration;
import java.util.Map;

/**
 * The timing limits of the classifier, each 0 when its rule is off.
 *
 * @param tooFastOpenMillis an open sooner than this after sending is a machine's
 * @param tooFastClickMillis a click sooner than this after sending is a link scanner's
 * @param followUpGapMillis an event sooner than this after another of the same email, at another
 *     target (the pixel or another link), is a machine's
 * @param linkBurstWindowMillis the window in which distinct clicked links of one email are counted
 * @param linkBurstCount the number of distinct links clicked within the window from which on clicks
 *     are a link scanner's
 */
record Thresholds(
        long tooFastOpenMillis,
        long tooFastClickMillis,
        long followUpGapMillis,
        long linkBurstWindowMillis,
        int linkBurstCount) {

    /** The longest window kept in memory: how long {@link RecentActivity} remembers events. */
    static final Duration MAX_WINDOW = Duration.ofMinutes(2);

    /** The largest burst counted: how many events {@link RecentActivity} keeps per email. */
    static final int MAX_BURST_COUNT = 16;

    /** Every timing rule off. */
    static final Thresholds OFF = new Thresholds(0, 0, 0, 0, 0);

    /** A limit as a rule file names it, with the largest value it takes. */
    enum Threshold {
        TOO_FAST_OPEN("too-fast-open", Duration.ofDays(1).toMillis()),
        TOO_FAST_CLICK("too-fast-click", Duration.ofDays(1).toMillis()),
        FOLLOW_UP_GAP("follow-up-gap", MAX_WINDOW.toMillis()),
        LINK_BURST_WINDOW("link-burst-window", MAX_WINDOW.toMillis()),
        LINK_BURST_COUNT("link-burst-count", MAX_BURST_COUNT);

        private final String word;
        private final long max;

        Threshold(String word, long max) {
            this.word = word;
            this.max = max;
        }

        /** Returns the name a rule file uses. */
        String word() {
            return word;
        }

        /** Returns the largest value accepted, in milliseconds or as a count. */
        long max() {
            return max;
        }

        /** Returns whether the value is a number of links rather than a duration. */
        boolean isCount() {
            return this == LINK_BURST_COUNT;
        }

        /** Returns whether {@code value} is allowed; a burst of one link would be every click. */
        boolean accepts(long value) {
            boolean offOrSome = !isCount() || value != 1;
            return value >= 0 && value <= max && offOrSome;
        }

        /** Returns the allowed values in words, for messages. */
        String range() {
            if (isCount()) {
                return "0 (off) or from 2 to " + max;
            }
            return "at most " + DurationFormat.format(Duration.ofMillis(max));
        }
    }

    /** Returns these limits with {@code changes} applied over them. */
    Thresholds with(Map<Threshold, Long> changes) {
        Thresholds result = this;
        for (Map.Entry<Threshold, Long> change : changes.entrySet()) {
            result = result.with(change.getKey(), change.getValue());
        }
        return result;
    }

    private Thresholds with(Threshold threshold, long value) {
        return new Thresholds(
                threshold == Threshold.TOO_FAST_OPEN ? value : tooFastOpenMillis,
                threshold == Threshold.TOO_FAST_CLICK ? value : tooFastClickMillis,
                threshold == Threshold.FOLLOW_UP_GAP ? value : followUpGapMillis,
                threshold == Threshold.LINK_BURST_WINDOW ? value : linkBurstWindowMillis,
                threshold == Threshold.LINK_BURST_COUNT ? (int) value : linkBurstCount);
    }
}
