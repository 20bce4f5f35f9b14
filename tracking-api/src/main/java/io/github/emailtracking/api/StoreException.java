package io.github.emailtracking.api;

/**
 * The store could not do what was asked: the database is down, too slow, or full. Nothing about the
 * request was wrong; trying again later may work. HTTP answers 503.
 *
 * <p>A change whose commit the database did not confirm, as when the connection broke during it,
 * {@link #changeMayBeStored may be stored all the same}: trying it again may then store it twice,
 * unless it carries an id of its own that the store takes once (such as a reply's Message-ID).
 */
public class StoreException extends TrackingException {

    private static final long serialVersionUID = 1L;

    private final boolean changeMayBeStored;

    /** Creates the exception with a message for the caller and the cause for the logs. */
    public StoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /** Creates the exception with a message for the caller. */
    public StoreException(String message) {
        this(message, null, false);
    }

    /**
     * Creates the exception, saying whether the change may be stored all the same.
     *
     * @param cause the cause for the logs, or null
     */
    public StoreException(String message, Throwable cause, boolean changeMayBeStored) {
        super(message, cause);
        this.changeMayBeStored = changeMayBeStored;
    }

    /**
     * Returns whether the change may have been stored in spite of this failure, the database having
     * not confirmed it; false when it surely was not.
     */
    public boolean changeMayBeStored() {
        return changeMayBeStored;
    }
}
