package io.github.emailtracking.api;

/**
 * The campaign, email or attachment does not exist, or the caller may not see it. The two cases are
 * answered alike on purpose, so that nobody learns which ids exist. HTTP answers 404.
 */
public class NotFoundException extends TrackingException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; the message names the kind of thing that was not found. */
    public NotFoundException(String message) {
        super(message);
    }
}
