package io.github.emailtracking.api;

/**
 * The base of every exception this library throws on purpose. Its message is written for the person
 * who sent the request: it names what was wrong and never carries SQL, class names or secrets, so
 * an adapter may show it as it is.
 *
 * <p>Each subclass stands for one kind of failure that an adapter maps to one answer (for HTTP: a
 * status code).
 */
public class TrackingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message for the caller. */
    public TrackingException(String message) {
        super(message);
    }

    /** Creates an exception with a message for the caller and the cause for the logs. */
    public TrackingException(String message, Throwable cause) {
        super(message, cause);
    }
}
