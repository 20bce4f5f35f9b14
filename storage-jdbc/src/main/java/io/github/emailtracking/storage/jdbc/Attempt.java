package io.github.emailtracking.storage.jdbc;

/**
 * How one try at committing a batch ended.
 *
 * @param failure what failed, or null when the batch was committed
 * @param kind the kind of the failure, or null when the batch was committed
 * @param uncertain whether the failure came during the commit itself, so that the batch may or may
 *     not be stored
 */
record Attempt(Throwable failure, FailureKind kind, boolean uncertain) {

    static final Attempt COMMITTED = new Attempt(null, null, false);

    boolean committed() {
        return failure == null;
    }

    /** Returns whether the same batch may succeed when tried again at once. */
    boolean worthRetrying() {
        return !committed()
                && !uncertain
                && (kind == FailureKind.CONFLICT || kind == FailureKind.UNREACHABLE);
    }

    /**
     * Returns whether one write may have failed the batch, so that writing each alone lets the
     * others succeed. Not when the database as a whole failed, and not when the batch may be
     * stored: writing it again could store events twice.
     */
    boolean worthSplitting() {
        return !committed()
                && !uncertain
                && kind != FailureKind.CONFLICT
                && kind != FailureKind.UNREACHABLE
                && kind != FailureKind.READ_ONLY;
    }
}
