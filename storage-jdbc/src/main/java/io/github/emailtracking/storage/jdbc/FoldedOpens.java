package io.github.emailtracking.storage.jdbc;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the opens of one email taken out of the journal add up to: how many there are, their first
 * and last times, the first by a person, how many machines made, and how many fall in each bucket
 * of the timeline. Used by the writer thread only.
 */
final class FoldedOpens {

    private final Map<Long, Long> perBucket = new TreeMap<>();
    private long count;
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;
    private Long firstByPerson;
    private long byMachine;

    /**
     * Adds the opens of one timeline bucket.
     *
     * @param bucketStart the bucket's start, in epoch milliseconds
     * @param opens how many opens fall in it
     * @param earliest the earliest of their times
     * @param latest the latest of their times
     * @param earliestByPerson the earliest time of one made by a person, or null if none was
     * @param machines how many of them machines made
     */
    void add(
            long bucketStart,
            long opens,
            long earliest,
            long latest,
            Long earliestByPerson,
            long machines) {
        perBucket.merge(bucketStart, opens, Long::sum);
        count += opens;
        first = Math.min(first, earliest);
        last = Math.max(last, latest);
        if (earliestByPerson != null
                && (firstByPerson == null || earliestByPerson < firstByPerson)) {
            firstByPerson = earliestByPerson;
        }
        byMachine += machines;
    }

    long count() {
        return count;
    }

    /** Returns the latest open's time; meaningful only once opens were added. */
    long last() {
        return last;
    }

    long byMachine() {
        return byMachine;
    }

    /** Returns how many opens fall in each bucket, by the bucket's start. */
    Map<Long, Long> perBucket() {
        return perBucket;
    }

    /** Returns the firsts these opens make: the first open, and the first by a person. */
    Firsts firsts() {
        return new Firsts(first, null, null, null, null, null, firstByPerson, null);
    }
}
