package io.github.emailtracking.servlet;

import io.github.emailtracking.api.StoreException;
import java.io.IOException;

/**
 * The server could not keep an uploaded file in its temporary folder, a full disk say: a failure of
 * the server's own, answered as the store's are, but not blamed on the store.
 */
final class TemporaryFolderException extends StoreException {

    private static final long serialVersionUID = 1L;

    TemporaryFolderException(IOException cause) {
        super("could not keep the uploaded file: the temporary folder could not be written", cause);
    }
}
