package io.github.emailtracking.api;

/**
 * A window on a list of events that is ordered oldest first, counted from its newest end: {@code
 * Page(100, 0)} is the newest 100 events, {@code Page(100, 100)} the 100 before them.
 *
 * @param limit how many events at most, 1 to {@value #MAX_LIMIT}
 * @param offset how many of the newest events to skip, not negative
 */
public record Page(int limit, int offset) {

    /** The largest window a caller may ask for. */
    public static final int MAX_LIMIT = 1000;

    /** The window used when the caller asks for none: the newest 100 events. */
    public static final Page NEWEST = new Page(100, 0);

    /**
     * Creates a window.
     *
     * @throws InvalidRequestException if {@code limit} or {@code offset} is out of range
     */
    public Page {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestException(
                    "limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        if (offset < 0) {
            throw new InvalidRequestException("offset must not be negative, not " + offset);
        }
    }
}
