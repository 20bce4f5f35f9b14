package io.github.emailtracking.api;

/** The request itself is wrong: a missing, malformed or refused value. HTTP answers 400. */
public class InvalidRequestException extends TrackingException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; the message says which value is wrong and why. */
    public InvalidRequestException(String message) {
        super(message);
    }
}
