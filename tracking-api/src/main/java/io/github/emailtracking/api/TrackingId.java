package io.github.emailtracking.api;

import java.util.Optional;

/**
 * Identifies one sent email. It appears in the open pixel and click URLs of that email, so it is
 * unguessable.
 *
 * <p>A value is 1 to 64 URL-safe characters ({@code A-Z a-z 0-9 - _}), so it can be placed in a URL
 * path without escaping.
 *
 * @param value the identifier as it appears in URLs
 */
public record TrackingId(String value) {

    /**
     * Creates an id, checking its shape.
     *
     * @throws InvalidRequestException if {@code value} is not 1 to 64 URL-safe characters
     */
    public TrackingId {
        IdShape.require(value, "tracking id");
    }

    /**
     * Reads an id from untrusted input.
     *
     * @return the id, or empty when {@code value} is null or could not be one
     */
    public static Optional<TrackingId> parse(String value) {
        return IdShape.isValid(value) ? Optional.of(new TrackingId(value)) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
