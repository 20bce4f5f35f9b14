package io.github.emailtracking.servlet;

import io.github.emailtracking.api.TrackingException;

/** A request body in an encoding or character set that a route does not read. HTTP answers 415. */
final class UnsupportedMediaTypeException extends TrackingException {

    private static final long serialVersionUID = 1L;

    UnsupportedMediaTypeException(String message) {
        super(message);
    }
}
