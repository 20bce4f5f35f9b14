package io.github.emailtracking.api.spi;

import io.github.emailtracking.api.InvalidRequestException;
import java.time.Instant;

/**
 * The times of events that a store keeps: from the first instant of year 1 to the last of year
 * 9999, as milliseconds since 1970. The stores of this library write a time as such a count, and
 * reckon the campaign's timeline and its averages from it; a time far beyond these years would
 * overflow that reckoning.
 */
public final class EventTimes {

    /** The earliest time a store keeps. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    /** The latest time a store keeps. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private EventTimes() {}

    /**
     * Returns the time in milliseconds since 1970, its fraction of a millisecond dropped.
     *
     * @throws InvalidRequestException if the time is before {@link #EARLIEST} or after {@link
     *     #LATEST}
     */
    public static long epochMillis(Instant at) {
        if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw new InvalidRequestException(
                    "the event's time " + at + " is outside what a store keeps: years 1 to 9999");
        }
        return at.toEpochMilli();
    }
}
