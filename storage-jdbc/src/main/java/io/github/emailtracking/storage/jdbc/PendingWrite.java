package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.InvalidRequestException;
import io.github.emailtracking.api.StoreException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A write on its way through the queue, and the caller's view of its outcome. The caller may
 * withdraw it while it waits in the queue, never once the writer has taken it: so a caller told
 * "nothing was stored" is right.
 *
 * <p>The writer decides the outcome ({@link #succeed}, {@link #fail}) as it commits; the caller
 * learns it when the outcome is told ({@link #tell}), which the writer leaves to another thread so
 * that waking callers never delays the next commit.
 */
final class PendingWrite<T> {

    private static final int QUEUED = 0;
    private static final int TAKEN = 1;
    private static final int WITHDRAWN = 2;

    private final Write<T> write;
    private final WriteFailure failure;
    private final long bytes;
    private final boolean alone;
    private final BooleanSupplier databaseUnreachable;
    private final CompletableFuture<T> outcome = new CompletableFuture<>();
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private Supplier<T> result;
    // Decided by the writer, told by another thread after a hand-over that publishes them.
    private T value;
    private RuntimeException error;

    PendingWrite(Write<T> write, WriteFailure failure, long bytes) {
        this(write, failure, bytes, false);
    }

    /**
     * @param alone whether the write is committed in a transaction of its own, so that what it sets
     *     for its transaction, and its failing, touch no other write; such a write that finds the
     *     database busy is not tried again at once, as a batch is
     */
    PendingWrite(Write<T> write, WriteFailure failure, long bytes, boolean alone) {
        this(write, failure, bytes, alone, () -> false);
    }

    /**
     * @param databaseUnreachable whether the writer's last try found the database unreachable: the
     *     reason to give should the write be withdrawn, rather than a busy store
     */
    PendingWrite(
            Write<T> write,
            WriteFailure failure,
            long bytes,
            boolean alone,
            BooleanSupplier databaseUnreachable) {
        this.write = write;
        this.failure = failure;
        this.bytes = bytes;
        this.alone = alone;
        this.databaseUnreachable = databaseUnreachable;
    }

    /** Returns how many bytes of content the write carries, so a batch can be kept small. */
    long bytes() {
        return bytes;
    }

    WriteFailure failure() {
        return failure;
    }

    /** Returns whether the write is committed in a transaction of its own. */
    boolean alone() {
        return alone;
    }

    /** Claims the write for the writer; false when the caller withdrew it first. */
    boolean take() {
        return state.compareAndSet(QUEUED, TAKEN);
    }

    /** Withdraws the write; false when the writer took it first. */
    boolean withdraw() {
        return state.compareAndSet(QUEUED, WITHDRAWN);
    }

    /** Makes the change in a transaction, keeping what it answers until the commit. */
    void applyTo(WriteTransaction transaction) throws SQLException {
        result = write.applyTo(transaction);
    }

    /** Decides that the change was committed, and what it answers; {@link #tell} says so. */
    void succeed() {
        try {
            value = result.get();
        } catch (RuntimeException e) {
            error = e;
        }
    }

    /** Decides that the change failed; {@link #tell} says so. */
    void fail(StoreException failure) {
        error = failure;
    }

    /** Tells the caller the outcome decided by {@link #succeed} or {@link #fail}. */
    void tell() {
        if (error != null) {
            outcome.completeExceptionally(error);
        } else {
            outcome.complete(value);
        }
    }

    /**
     * Waits for the outcome. When the write is still queued after {@code timeout}, it is withdrawn
     * and nothing is stored; when the writer has it, the caller waits up to {@code timeout} more
     * for the commit.
     *
     * @throws StoreException if the write failed, was withdrawn, or was not confirmed in time
     * @throws InvalidRequestException if the change was refused for what it asked, the database
     *     being fine
     */
    T await(Duration timeout) {
        try {
            return outcomeWithin(timeout);
        } catch (TimeoutException e) {
            if (withdraw()) {
                throw withdrawn();
            }
            return awaitCommit(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw withdraw()
                    ? failure.toException("the waiting thread was interrupted; nothing was stored")
                    : failure.toUnconfirmedException(
                            "the waiting thread was interrupted; the change may be stored", null);
        }
    }

    /**
     * Returns the outcome for a caller that does not wait: completed when it is told, or failed
     * earlier by its {@link Deadlines}.
     */
    CompletableFuture<T> answer() {
        return outcome;
    }

    private T awaitCommit(Duration timeout) {
        try {
            return outcomeWithin(timeout);
        } catch (TimeoutException e) {
            throw unconfirmed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure.toUnconfirmedException(
                    "the waiting thread was interrupted; the change may be stored", null);
        }
    }

    /**
     * The failure of a write withdrawn because the writer did not get to it in time: because the
     * database cannot be reached, when the writer's last try found so, else because it was busy.
     */
    StoreException withdrawn() {
        if (databaseUnreachable.getAsBoolean()) {
            return failure.toException(FailureKind.UNREACHABLE.reason() + "; nothing was stored");
        }
        return failure.toException(
                "the store was too busy to get to it in time; nothing was stored");
    }

    /** The failure of a write the writer took but did not confirm in time. */
    StoreException unconfirmed() {
        return failure.toUnconfirmedException(
                "the database did not confirm it in time; the change may be stored", null);
    }

    private T outcomeWithin(Duration timeout) throws TimeoutException, InterruptedException {
        try {
            return outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            // A new exception, so that the stack trace shows the caller, not the writer thread.
            Throwable cause = e.getCause();
            if (cause instanceof InvalidRequestException) {
                throw new InvalidRequestException(cause.getMessage());
            }
            throw new StoreException(
                    cause.getMessage(),
                    cause.getCause(),
                    cause instanceof StoreException store && store.changeMayBeStored());
        }
    }
}
