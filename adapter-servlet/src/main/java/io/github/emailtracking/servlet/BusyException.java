package io.github.emailtracking.servlet;

import io.github.emailtracking.api.TrackingException;

/** The server has too much of this kind of work under way; trying again shortly may work. 503. */
final class BusyException extends TrackingException {

    private static final long serialVersionUID = 1L;

    BusyException(String message) {
        super(message);
    }
}
