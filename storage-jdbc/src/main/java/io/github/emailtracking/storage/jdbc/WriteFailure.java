package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.StoreException;

/**
 * What to tell the caller of a write that failed, in words for people.
 *
 * @param action what the write does, to complete "could not ..."
 * @param ifDuplicate the message when a row with the same key exists, or null for the general one
 * @param ifMissingParent the message when a row it refers to is missing, or null for the general
 *     one
 * @param rolledBack what the general message says of a write the database rolled back
 */
record WriteFailure(String action, String ifDuplicate, String ifMissingParent, String rolledBack) {

    /** Returns the messages of a write that only the general ones fit. */
    static WriteFailure of(String action) {
        return new WriteFailure(action, null, null, "nothing was stored");
    }

    /** Returns these messages with one for a duplicate key. */
    WriteFailure ifDuplicate(String message) {
        return new WriteFailure(action, message, ifMissingParent, rolledBack);
    }

    /** Returns these messages with one for a missing row the write refers to. */
    WriteFailure ifMissingParent(String message) {
        return new WriteFailure(action, ifDuplicate, message, rolledBack);
    }

    /**
     * Returns these messages saying {@code outcome} of a write the database rolled back, in place
     * of "nothing was stored", for a write that stores nothing new.
     */
    WriteFailure ifRolledBack(String outcome) {
        return new WriteFailure(action, ifDuplicate, ifMissingParent, outcome);
    }

    /**
     * Returns the exception for a failure of the database that rolled the write back, which the
     * general message says, as a caller deciding whether to send the write again needs to know.
     */
    StoreException toException(FailureKind kind, Throwable cause) {
        if (kind == FailureKind.DUPLICATE && ifDuplicate != null) {
            return new StoreException(ifDuplicate, cause);
        }
        if (kind == FailureKind.MISSING_PARENT && ifMissingParent != null) {
            return new StoreException(ifMissingParent, cause);
        }
        return new StoreException(
                "could not " + action + ": " + kind.reason() + "; " + rolledBack, cause);
    }

    /** Returns the exception for a failure of the store itself, said in {@code reason}. */
    StoreException toException(String reason) {
        return new StoreException("could not " + action + ": " + reason);
    }

    /**
     * Returns the exception for a write the database may have made without confirming it, said in
     * {@code reason}.
     */
    StoreException toUnconfirmedException(String reason, Throwable cause) {
        return new StoreException("could not " + action + ": " + reason, cause, true);
    }
}
