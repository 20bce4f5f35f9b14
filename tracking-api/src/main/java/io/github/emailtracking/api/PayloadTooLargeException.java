package io.github.emailtracking.api;

/** A body or file is over a configured size limit. HTTP answers 413. */
public class PayloadTooLargeException extends TrackingException {

    private static final long serialVersionUID = 1L;

    private final long limitBytes;

    /**
     * Creates the exception.
     *
     * @param what what was too large, as the caller knows it ("file", "request body")
     * @param limitBytes the limit that was exceeded, in bytes
     */
    public PayloadTooLargeException(String what, long limitBytes) {
        super(what + " is larger than the limit of " + limitBytes + " bytes");
        this.limitBytes = limitBytes;
    }

    /**
     * Creates the exception with a message that names the limit in other units than bytes.
     *
     * @param message what was too large and the limit, for the caller
     */
    public PayloadTooLargeException(String message) {
        super(message);
        this.limitBytes = -1;
    }

    /** Returns the limit that was exceeded, in bytes, or -1 when it is not counted in bytes. */
    public long limitBytes() {
        return limitBytes;
    }
}
