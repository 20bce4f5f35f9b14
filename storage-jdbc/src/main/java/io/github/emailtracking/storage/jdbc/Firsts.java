package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.BounceEvent;
import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.ReminderEvent;
import io.github.emailtracking.api.ReplyEvent;
import io.github.emailtracking.api.TrackingEvent;
import io.github.emailtracking.api.UnsubscribeEvent;
import java.util.Collection;

/**
 * The earliest event of each kind on one email, in epoch milliseconds; null where there is none.
 *
 * @param open the first pixel fetch, whoever made it; clicks and replies imply none here, so that
 *     the raw figures count opens only
 * @param click the first click, whoever made it
 * @param reply the first reply
 * @param reminder the first reminder
 * @param bounce the first bounce, hard or soft
 * @param unsubscribe the first unsubscribe
 * @param personOpen the first open by a person: a pixel fetch by a person, a click by a person or a
 *     reply
 * @param personClick the first click by a person
 */
record Firsts(
        Long open,
        Long click,
        Long reply,
        Long reminder,
        Long bounce,
        Long unsubscribe,
        Long personOpen,
        Long personClick) {

    /** An email nothing has happened to. */
    static final Firsts NONE = new Firsts(null, null, null, null, null, null, null, null);

    /** Returns the firsts that some events make together. */
    static Firsts of(Collection<? extends TrackingEvent> events) {
        Firsts firsts = NONE;
        for (TrackingEvent event : events) {
            firsts = firsts.earliest(of(event));
        }
        return firsts;
    }

    /** Returns the firsts that one event alone makes. */
    static Firsts of(TrackingEvent event) {
        Long at = event.at().toEpochMilli();
        if (event instanceof OpenEvent open) {
            Long byPerson = open.classification().verdict().isPerson() ? at : null;
            return new Firsts(at, null, null, null, null, null, byPerson, null);
        }
        if (event instanceof ClickEvent click) {
            // A person who clicks has read the mail, even when their client blocked the pixel; a
            // scanner that follows every link has read nothing. Only the person figures say so:
            // the raw first open stays that of the pixel, whatever the verdicts.
            Long byPerson = click.classification().verdict().isPerson() ? at : null;
            return new Firsts(null, at, null, null, null, null, byPerson, byPerson);
        }
        if (event instanceof ReplyEvent) {
            return new Firsts(null, null, at, null, null, null, at, null);
        }
        if (event instanceof ReminderEvent) {
            return new Firsts(null, null, null, at, null, null, null, null);
        }
        if (event instanceof BounceEvent) {
            return new Firsts(null, null, null, null, at, null, null, null);
        }
        if (event instanceof UnsubscribeEvent) {
            return new Firsts(null, null, null, null, null, at, null, null);
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
                earliest(unsubscribe, other.unsubscribe),
                earliest(personOpen, other.personOpen),
                earliest(personClick, other.personClick));
    }

    private static Long earliest(Long a, Long b) {
        if (a == null) {
            return b;
        }
        return b == null || a <= b ? a : b;
    }
}
