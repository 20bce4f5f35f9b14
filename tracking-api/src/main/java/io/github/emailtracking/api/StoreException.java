package io.github.emailtracking.api;

/**
 * The store could not do what was asked: the database is down, too slow, or full. Nothing about the
 * request was wrong; trying again later may work. HTTP answers 503.
 */
public class StoreException extends TrackingException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message for the caller and the cause for the logs. */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Creates the exception with a message for the caller. */
    public StoreException(String message) {
        super(message);
    }
}
