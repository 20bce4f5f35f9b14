package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.BounceEvent;
import io.github.emailtracking.api.BounceType;
import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.ReminderEvent;
import io.github.emailtracking.api.ReplyEvent;
import io.github.emailtracking.api.TrackingEvent;
import io.github.emailtracking.api.UnsubscribeEvent;

/**
 * The earliest event of each kind on one email, in epoch milliseconds; null where there is none.
 *
 * @param open the first open
 * @param click the first click
 * @param reply the first reply
 * @param reminder the first reminder
 * @param bounce the first hard bounce
 * @param unsubscribe the first unsubscribe
 */
record Firsts(Long open, Long click, Long reply, Long reminder, Long bounce, Long unsubscribe) {

    /** An email nothing has happened to. */
    static final Firsts NONE = new Firsts(null, null, null, null, null, null);

    /** Returns the firsts that one event alone makes; a soft bounce makes none. */
    static Firsts of(TrackingEvent event) {
        Long at = event.at().toEpochMilli();
        if (event instanceof OpenEvent) {
            return new Firsts(at, null, null, null, null, null);
        }
        if (event instanceof ClickEvent) {
            return new Firsts(null, at, null, null, null, null);
        }
        if (event instanceof ReplyEvent) {
            return new Firsts(null, null, at, null, null, null);
        }
        if (event instanceof ReminderEvent) {
            return new Firsts(null, null, null, at, null, null);
        }
        if (event instanceof BounceEvent bounce) {
            return bounce.type() == BounceType.HARD
                    ? new Firsts(null, null, null, null, at, null)
                    : NONE;
        }
        if (event instanceof UnsubscribeEvent) {
            return new Firsts(null, null, null, null, null, at);
        }
        throw new IllegalArgumentException("unknown kind of event: " + event.getClass());
    }

    /** Returns, for each kind, the earlier of this one and the other's. */
    Firsts earliest(Firsts other) {
        return new Firsts(
                earliest(open, other.open),
                earliest(click, other.click),
                earliest(reply, other.reply),
                earliest(reminder, other.reminder),
                earliest(bounce, other.bounce),
                earliest(unsubscribe, other.unsubscribe));
    }

    private static Long earliest(Long a, Long b) {
        if (a == null) {
            return b;
        }
        return b == null || a <= b ? a : b;
    }
}
