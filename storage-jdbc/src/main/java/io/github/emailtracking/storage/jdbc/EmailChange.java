package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.TrackingEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of one batch for one email, and the opens of it folded from the journal, added up so
 * that the email's row is updated once however many of them the batch holds. Used by the writer
 * thread only.
 *
 * <p>Firsts are not added up here: whether a reply counts is known only once its row is written (a
 * retried Message-ID does not), so they are worked out from the events that counted.
 */
final class EmailChange {

    private final String trackingId;
    private final List<TrackingEvent> events = new ArrayList<>();
    private FoldedOpens folded;
    private long opens;
    private long clicks;
    private long latestOpen;
    private boolean stored;

    EmailChange(String trackingId) {
        this.trackingId = trackingId;
    }

    void add(TrackingEvent event) {
        events.add(event);
        if (event instanceof OpenEvent open) {
            latestOpen = opens == 0 ? millis(open) : Math.max(latestOpen, millis(open));
            opens++;
        } else if (event instanceof ClickEvent) {
            clicks++;
        }
    }

    /** Adds the opens of the email folded from the journal, which come summed up, all at once. */
    void addFolded(FoldedOpens opens) {
        if (folded != null) {
            throw new IllegalStateException("the email's folded opens are added already");
        }
        folded = opens;
        latestOpen = this.opens == 0 ? opens.last() : Math.max(latestOpen, opens.last());
        this.opens += opens.count();
    }

    String trackingId() {
        return trackingId;
    }

    /** Returns the events in the order they were recorded. */
    List<TrackingEvent> events() {
        return events;
    }

    /** Returns the opens folded from the journal, or null when there are none. */
    FoldedOpens folded() {
        return folded;
    }

    /** Returns how many opens the email has in this batch, recorded or folded. */
    long opens() {
        return opens;
    }

    long clicks() {
        return clicks;
    }

    /** Returns the latest open's time; meaningful only when there are opens. */
    long latestOpen() {
        return latestOpen;
    }

    /** Records that the email exists and its events were written. */
    void markStored() {
        stored = true;
    }

    /** Returns whether the events were written; false when no email has the tracking id. */
    boolean stored() {
        return stored;
    }

    private static long millis(OpenEvent open) {
        return open.at().toEpochMilli();
    }
}
