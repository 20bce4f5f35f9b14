package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a batch of writes in one transaction and tells each caller its outcome. A batch that
 * fails is rolled back and its writes are committed one per transaction, so that one bad write
 * fails alone. Used by the writer thread only.
 */
final class BatchCommitter {

    private static final Logger LOG = LoggerFactory.getLogger(BatchCommitter.class);

    /** Tries of one batch when another transaction was in the way or the connection broke. */
    private static final int MAX_TRIES = 3;

    /** How often, at most, the writer warns of commits the database did not confirm. */
    static final Duration UNCONFIRMED_WARNING_PERIOD = Duration.ofMinutes(1);

    private final Database database;
    private final long maxEventsPerEmail;
    // Written by the writer thread, read by callers whose writes it did not get to in time.
    private volatile boolean unreachable;
    private final PeriodicWarning unconfirmedCommits =
            new PeriodicWarning(
                    LOG,
                    UNCONFIRMED_WARNING_PERIOD,
                    "The database did not confirm the commit of {} write(s) since the last"
                            + " warning; they may be stored");

    /**
     * @param maxEventsPerEmail how many open rows, and how many click rows, an email keeps at most
     */
    BatchCommitter(Database database, long maxEventsPerEmail) {
        this.database = database;
        this.maxEventsPerEmail = maxEventsPerEmail;
    }

    /**
     * Returns whether the last try at a batch found the database unreachable, which is then why the
     * writer is late with the batches behind it.
     */
    boolean databaseUnreachable() {
        return unreachable;
    }

    /** Commits the batch and completes every write in it; never throws. */
    void commit(List<PendingWrite<?>> batch) {
        try {
            commitOrSplit(batch);
        } catch (RuntimeException | Error e) {
            LOG.error(
                    "The writer failed unexpectedly; {} write(s) were not stored", batch.size(), e);
            for (PendingWrite<?> write : batch) {
                write.fail(write.failure().toException("the store failed unexpectedly"));
            }
        }
    }

    private void commitOrSplit(List<PendingWrite<?>> batch) {
        Attempt attempt = commitWithRetries(batch);
        if (attempt.committed()) {
            batch.forEach(PendingWrite::succeed);
            return;
        }
        if (batch.size() == 1 || !attempt.worthSplitting()) {
            failAll(batch, attempt);
            return;
        }
        LOG.debug("A batch of {} writes failed; writing them one at a time", batch.size());
        for (PendingWrite<?> write : batch) {
            commitOrSplit(List.of(write));
        }
    }

    private Attempt commitWithRetries(List<PendingWrite<?>> batch) {
        Attempt attempt = commitOnce(batch);
        for (int tries = 1; tries < MAX_TRIES && worthRetrying(batch, attempt); tries++) {
            LOG.debug("Trying a batch again after a {} failure", attempt.kind());
            attempt = commitOnce(batch);
        }
        return attempt;
    }

    /**
     * Returns whether to try the batch again: not a write committed alone that found the database
     * busy, which bounds its own wait for locks, and which whoever asked for it tries again later.
     */
    private static boolean worthRetrying(List<PendingWrite<?>> batch, Attempt attempt) {
        boolean aloneAndBusy =
                batch.size() == 1 && batch.get(0).alone() && attempt.kind() == FailureKind.CONFLICT;
        return attempt.worthRetrying() && !aloneAndBusy;
    }

    private Attempt commitOnce(List<PendingWrite<?>> batch) {
        Dialect dialect = database.dialect();
        boolean committing = false;
        long transactionId = Dialect.NO_TRANSACTION_ID;
        try (Connection connection = database.writeConnection()) {
            try {
                database.beginWrite(connection);
                applyAll(batch, connection, dialect);
                transactionId = dialect.transactionId(connection);
                committing = true;
                dialect.commit(connection);
                unreachable = false;
                return Attempt.COMMITTED;
            } catch (SQLException | RuntimeException e) {
                database.rollbackQuietly(connection);
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            Attempt attempt =
                    new Attempt(e, dialect.classify(e), committing && dialect.commitInDoubt(e));
            unreachable = attempt.kind() == FailureKind.UNREACHABLE;
            return attempt.uncertain() ? settled(attempt, transactionId) : attempt;
        }
    }

    /**
     * Asks the database whether a commit whose answer was lost was made: a batch it made is
     * committed, and one it rolled back is a failure like any other, tried again when worth it.
     */
    private Attempt settled(Attempt inDoubt, long transactionId) {
        if (transactionId == Dialect.NO_TRANSACTION_ID) {
            return inDoubt;
        }
        Optional<Boolean> committed = database.committed(transactionId);
        if (committed.isEmpty()) {
            return inDoubt;
        }
        // It answered, so it can be reached.
        unreachable = false;
        LOG.debug(
                "The answer to a commit was lost; the database says it was {}",
                committed.get() ? "made" : "rolled back");
        return committed.get()
                ? Attempt.COMMITTED
                : new Attempt(inDoubt.failure(), inDoubt.kind(), false);
    }

    private void applyAll(List<PendingWrite<?>> batch, Connection connection, Dialect dialect)
            throws SQLException {
        try (WriteTransaction transaction =
                new WriteTransaction(connection, dialect, maxEventsPerEmail)) {
            for (PendingWrite<?> write : batch) {
                write.applyTo(transaction);
            }
            transaction.finish();
        }
    }

    private void failAll(List<PendingWrite<?>> batch, Attempt attempt) {
        // Each caller is told, and says so as it sees fit: an outage fails every batch, and one
        // line per batch would flood the log. A commit the database may have made is rare, and
        // worth a warning of its own, at most once a period while they go on.
        if (attempt.uncertain()) {
            unconfirmedCommits.add(batch.size());
        } else {
            LOG.debug(
                    "{} write(s) were not stored, the first to {}: {}",
                    batch.size(),
                    batch.get(0).failure().action(),
                    attempt.kind().reason(),
                    attempt.failure());
        }
        for (PendingWrite<?> write : batch) {
            WriteFailure failure = write.failure();
            write.fail(
                    attempt.uncertain()
                            ? uncertain(failure, attempt)
                            : failure.toException(attempt.kind(), attempt.failure()));
        }
    }

    private static StoreException uncertain(WriteFailure failure, Attempt attempt) {
        return failure.toUnconfirmedException(
                "the database did not confirm it; the change may be stored", attempt.failure());
    }
}
