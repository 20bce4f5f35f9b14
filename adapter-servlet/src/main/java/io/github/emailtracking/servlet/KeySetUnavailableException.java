package io.github.emailtracking.servlet;

import io.github.emailtracking.api.TrackingException;

/**
 * The key set that tokens are checked against cannot be read, so no token can be checked right now.
 * Nothing is wrong with the request. HTTP answers 503.
 */
final class KeySetUnavailableException extends TrackingException {

    private static final long serialVersionUID = 1L;

    KeySetUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
