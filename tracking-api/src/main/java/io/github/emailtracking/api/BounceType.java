package io.github.emailtracking.api;

/** How final a bounce is. */
public enum BounceType {
    /** The address does not exist or refuses mail for good. */
    HARD,
    /** A passing failure: a full mailbox, a server that was down. */
    SOFT
}
