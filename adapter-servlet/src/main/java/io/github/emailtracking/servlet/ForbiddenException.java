package io.github.emailtracking.servlet;

import io.github.emailtracking.api.TrackingException;

/** A valid token that lacks the role a route needs. HTTP answers 403. */
final class ForbiddenException extends TrackingException {

    private static final long serialVersionUID = 1L;

    ForbiddenException(String message) {
        super(message);
    }
}
