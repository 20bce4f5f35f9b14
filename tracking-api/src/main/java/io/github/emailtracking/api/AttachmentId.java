package io.github.emailtracking.api;

import java.util.Optional;

/**
 * Identifies a file received with a reply.
 *
 * <p>A value is 1 to 64 URL-safe characters ({@code A-Z a-z 0-9 - _}), so it can be placed in a URL
 * path without escaping.
 *
 * @param value the identifier as it appears in URLs
 */
public record AttachmentId(String value) {

    /**
     * Creates an id, checking its shape.
     *
     * @throws InvalidRequestException if {@code value} is not 1 to 64 URL-safe characters
     */
    public AttachmentId {
        IdShape.require(value, "attachment id");
    }

    /**
     * Reads an id from untrusted input.
     *
     * @return the id, or empty when {@code value} is null or could not be one
     */
    public static Optional<AttachmentId> parse(String value) {
        return IdShape.isValid(value) ? Optional.of(new AttachmentId(value)) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
