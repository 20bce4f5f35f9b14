package io.github.emailtracking.servlet;

import io.github.emailtracking.api.TrackingException;

/** The request has no valid bearer token. HTTP answers 401 with {@code WWW-Authenticate}. */
final class AuthenticationException extends TrackingException {

    private static final long serialVersionUID = 1L;

    private final boolean tokenPresented;

    AuthenticationException(String message, boolean tokenPresented) {
        super(message);
        this.tokenPresented = tokenPresented;
    }

    /** Returns whether a token came and was refused, rather than none coming at all. */
    boolean tokenPresented() {
        return tokenPresented;
    }
}
