package io.github.emailtracking.storage.memory;

import io.github.emailtracking.api.Classification;
import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.TrackingEvent;
import io.github.emailtracking.api.TrackingId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The open or click rows of one email, in the order they were kept. Each row is its time, in two
 * arrays of primitives, and the index of its details (its client, and a click's link) among the
 * email's distinct details: most rows of an email come from a few clients, so a row costs 16 bytes
 * and no object of its own, and the collector has nothing to trace or copy for it. The rows are
 * made into events again when they are read. Not thread-safe: the lock of the email's shard guards
 * it.
 *
 * @param <E> the kind of event kept
 * @param <D> what an event says besides its email and its time
 */
final class EventRows<E extends TrackingEvent, D extends EventRows.Details<D>> {

    /** How many of the latest distinct details a row's details are looked for among. */
    static final int RECENT_DETAILS = 8;

    /** The most rows of one kind an email keeps: the longest array the virtual machine makes. */
    private static final int MAX_ROWS = Integer.MAX_VALUE - 8;

    private static final long[] NO_SECONDS = {};
    private static final int[] NO_INTS = {};

    private final Function<E, D> detailsOf;
    private final EventMaker<E, D> eventMaker;
    private final List<D> details = new ArrayList<>();
    private long[] seconds = NO_SECONDS;
    private int[] nanos = NO_INTS;
    private int[] detailIndexes = NO_INTS;
    private int size;

    private EventRows(Function<E, D> detailsOf, EventMaker<E, D> eventMaker) {
        this.detailsOf = detailsOf;
        this.eventMaker = eventMaker;
    }

    /** Returns empty rows for the opens of an email. */
    static EventRows<OpenEvent, OpenDetails> opens() {
        return new EventRows<>(
                open -> new OpenDetails(open.ipAddress(), open.userAgent(), open.classification()),
                (trackingId, at, details) ->
                        new OpenEvent(
                                trackingId,
                                at,
                                details.ipAddress(),
                                details.userAgent(),
                                details.classification()));
    }

    /** Returns empty rows for the clicks of an email. */
    static EventRows<ClickEvent, ClickDetails> clicks() {
        return new EventRows<>(
                click ->
                        new ClickDetails(
                                click.url(),
                                click.ipAddress(),
                                click.userAgent(),
                                click.classification()),
                (trackingId, at, details) ->
                        new ClickEvent(
                                trackingId,
                                at,
                                details.url(),
                                details.ipAddress(),
                                details.userAgent(),
                                details.classification()));
    }

    /** Returns how many rows are kept. */
    int size() {
        return size;
    }

    /** Returns how many distinct details the rows use, or used before rows were deleted. */
    int detailsKept() {
        return details.size();
    }

    /** Keeps the event as the last row. */
    void add(E event) {
        if (size == seconds.length) {
            grow();
        }
        seconds[size] = event.at().getEpochSecond();
        nanos[size] = event.at().getNano();
        detailIndexes[size] = indexOf(detailsOf.apply(event));
        size++;
    }

    /**
     * Returns the rows of a page, as events of the email: the page counts back from the last row,
     * and its rows come in the order they were kept.
     */
    List<E> window(TrackingId trackingId, Page page) {
        int to = Math.max(0, size - page.offset());
        int from = Math.max(0, to - page.limit());
        List<E> events = new ArrayList<>(to - from);
        for (int row = from; row < to; row++) {
            Instant at = Instant.ofEpochSecond(seconds[row], nanos[row]);
            events.add(eventMaker.make(trackingId, at, details.get(detailIndexes[row])));
        }
        return List.copyOf(events);
    }

    /** Deletes the rows of events that happened before {@code cutoff}; returns how many. */
    int deleteBefore(Instant cutoff) {
        int kept = 0;
        for (int row = 0; row < size; row++) {
            if (!isBefore(row, cutoff)) {
                seconds[kept] = seconds[row];
                nanos[kept] = nanos[row];
                detailIndexes[kept] = detailIndexes[row];
                kept++;
            }
        }
        int deleted = size - kept;
        size = kept;
        if (deleted > 0) {
            forgetUnusedDetails();
        }
        return deleted;
    }

    private boolean isBefore(int row, Instant cutoff) {
        long second = seconds[row];
        return second < cutoff.getEpochSecond()
                || (second == cutoff.getEpochSecond() && nanos[row] < cutoff.getNano());
    }

    /** Returns the index of details equal to these among the latest, adding them when none is. */
    private int indexOf(D rowDetails) {
        int last = details.size() - 1;
        for (int index = last; index >= 0 && index > last - RECENT_DETAILS; index--) {
            if (details.get(index).equals(rowDetails)) {
                return index;
            }
        }
        details.add(last < 0 ? rowDetails : rowDetails.sharingTextsOf(details.get(last)));
        return details.size() - 1;
    }

    private void grow() {
        int capacity = (int) Math.min(Math.max(4L, size + (long) (size >> 1)), MAX_ROWS);
        if (capacity == size) {
            throw new OutOfMemoryError(
                    "an email keeps " + size + " rows of one kind, as many as an array holds");
        }
        seconds = Arrays.copyOf(seconds, capacity);
        nanos = Arrays.copyOf(nanos, capacity);
        detailIndexes = Arrays.copyOf(detailIndexes, capacity);
    }

    /** Drops the details that no row uses any more, as after rows were deleted. */
    private void forgetUnusedDetails() {
        int[] newIndexes = new int[details.size()];
        Arrays.fill(newIndexes, -1);
        List<D> used = new ArrayList<>();
        for (int row = 0; row < size; row++) {
            int index = detailIndexes[row];
            if (newIndexes[index] < 0) {
                newIndexes[index] = used.size();
                used.add(details.get(index));
            }
            detailIndexes[row] = newIndexes[index];
        }
        details.clear();
        details.addAll(used);
    }

    /** What an event says besides its email and its time. */
    interface Details<D> {

        /**
         * Returns these details with the texts of {@code kept} where they are the same: a request
         * brings texts of its own, and most differ from the details kept before in one text only.
         */
        D sharingTextsOf(D kept);
    }

    /** What an open says besides its email and its time. */
    record OpenDetails(String ipAddress, String userAgent, Classification classification)
            implements Details<OpenDetails> {

        @Override
        public OpenDetails sharingTextsOf(OpenDetails kept) {
            return new OpenDetails(
                    shared(kept.ipAddress, ipAddress),
                    shared(kept.userAgent, userAgent),
                    classification);
        }
    }

    /** What a click says besides its email and its time. */
    record ClickDetails(
            String url, String ipAddress, String userAgent, Classification classification)
            implements Details<ClickDetails> {

        @Override
        public ClickDetails sharingTextsOf(ClickDetails kept) {
            return new ClickDetails(
                    shared(kept.url, url),
                    shared(kept.ipAddress, ipAddress),
                    shared(kept.userAgent, userAgent),
                    classification);
        }
    }

    /** Returns {@code kept} when it is the same text as {@code text}, else {@code text}. */
    private static String shared(String kept, String text) {
        return Objects.equals(kept, text) ? kept : text;
    }

    /** Makes an event of a row again. */
    @FunctionalInterface
    private interface EventMaker<E, D> {
        E make(TrackingId trackingId, Instant at, D details);
    }
}
