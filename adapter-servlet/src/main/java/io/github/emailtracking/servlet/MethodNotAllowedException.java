package io.github.emailtracking.servlet;

import io.github.emailtracking.api.TrackingException;

/** The route exists but does not answer this method. HTTP answers 405 with {@code Allow}. */
final class MethodNotAllowedException extends TrackingException {

    private static final long serialVersionUID = 1L;

    private final String allow;

    MethodNotAllowedException(String method, String allow) {
        super("this route does not answer " + method + "; it answers " + allow);
        this.allow = allow;
    }

    String allow() {
        return allow;
    }
}
