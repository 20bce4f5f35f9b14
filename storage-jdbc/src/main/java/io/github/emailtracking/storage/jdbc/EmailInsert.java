package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.InvalidRequestException;
import io.github.emailtracking.api.StoreException;
import io.github.emailtracking.api.TrackedEmail;

/** How inserting a new email ended: stored, or refused because a key of it was taken. */
enum EmailInsert {
    STORED,
    TRACKING_ID_TAKEN,
    MESSAGE_ID_TAKEN;

    /**
     * Answers the caller that saved {@code email}, once the batch is committed.
     *
     * @return null when the email was stored
     * @throws InvalidRequestException if another email has its Message-ID
     * @throws StoreException if another email has its tracking id
     */
    Void answer(TrackedEmail email) {
        return switch (this) {
            case STORED -> null;
            case TRACKING_ID_TAKEN ->
                    throw new StoreException(
                            "an email with tracking id " + email.trackingId() + " exists");
            case MESSAGE_ID_TAKEN ->
                    throw new InvalidRequestException(
                            "messageId is registered for another email already");
        };
    }
}
