package io.github.emailtracking.api.spi;

import io.github.emailtracking.api.InvalidRequestException;
import java.time.Instant;

/**
 * The times of events that a store keeps: milliseconds since 1970 in a signed 64-bit number, as the
 * stores of this library write them, which reaches about 292 million years either side of 1970.
 */
public final class EventTimes {

    private EventTimes() {}

    /**
     * Returns the time in milliseconds since 1970, its fraction of a millisecond dropped.
     *
     * @throws InvalidRequestException if the time is beyond a signed 64-bit number of milliseconds
     */
    public static long epochMillis(Instant at) {
        try {
            return at.toEpochMilli();
        } catch (ArithmeticException e) {
            throw new InvalidRequestException(
                    "the event's time "
                            + at
                            + " is beyond what a store keeps: milliseconds since 1970 in a signed"
                            + " 64-bit number");
        }
    }
}
