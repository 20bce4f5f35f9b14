package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes to the database. Callers put their writes in a bounded queue and wait,
 * or ask to be told later; the writer takes whatever is queued, up to a batch, commits it in one
 * transaction and hands the batch to a second thread that answers each caller, so that many callers
 * share one commit, each learns only of a durable change, and waking them never delays the next
 * commit.
 *
 * <p>Thread-safe. {@link #close} stops taking writes, commits every write accepted before it, and
 * returns when every caller has been answered.
 */
final class GroupCommitWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    /** Put in the queue by {@link #close}: everything before it was accepted. */
    private static final PendingWrite<Void> STOP = new PendingWrite<>(tx -> null, null, 0);

    /** Whether the current thread answers callers of a writer. */
    private static final ThreadLocal<Boolean> ANSWERING = ThreadLocal.withInitial(() -> false);

    private final BatchCommitter committer;
    private final BooleanSupplier databaseUnreachable;
    private final WriterSettings settings;
    private final Upkeep upkeep;
    private final BlockingQueue<PendingWrite<?>> queue;
    // Tells callers their outcomes, and runs the deadlines of those who do not wait.
    private final ScheduledThreadPoolExecutor answers;
    private final Deadlines deadlines;
    private final ReadWriteLock gate = new ReentrantReadWriteLock();
    private final AtomicBoolean warnedFull = new AtomicBoolean();
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    // Guarded by the gate's lock.
    private boolean started;
    private boolean closed;
    // A write to be committed alone that came after others of a batch: the next batch's first.
    private PendingWrite<?> heldBack;

    GroupCommitWriter(BatchCommitter committer, WriterSettings settings) {
        this(committer, settings, Upkeep.NONE);
    }

    /**
     * @param upkeep the work the writer does of its own accord, between its callers' writes
     */
    GroupCommitWriter(BatchCommitter committer, WriterSettings settings, Upkeep upkeep) {
        this.committer = committer;
        this.databaseUnreachable = committer::databaseUnreachable;
        this.settings = settings;
        this.upkeep = upkeep;
        this.queue = new LinkedBlockingQueue<>(settings.queueCapacity());
        this.thread = new Thread(this::run, "email-tracking-writer");
        // A caller waits until its write is committed, so a write that the end of the JVM cuts
        // off was never acknowledged; a daemon thread keeps a forgotten store from holding the
        // JVM alive.
        thread.setDaemon(true);
        this.answers = answerThread();
        this.deadlines = new Deadlines(answers, settings.writeTimeout());
    }

    /** Starts the writer thread. Writes may be queued before; they wait for it. */
    void start() {
        gate.writeLock().lock();
        try {
            started = true;
            thread.start();
        } finally {
            gate.writeLock().unlock();
        }
    }

    /**
     * Writes a change and waits until it is committed.
     *
     * @return the change's outcome
     * @throws io.github.emailtracking.api.StoreException if the change was not stored, or its
     *     commit was not confirmed in time
     * @throws io.github.emailtracking.api.InvalidRequestException if the change refused itself for
     *     what it asked
     */
    <T> T write(Write<T> write, WriteFailure failure) {
        return write(write, failure, 0);
    }

    /**
     * Like {@link #write(Write, WriteFailure)}, for a write that carries content.
     *
     * @throws IllegalStateException if called on the thread that answers asynchronous writes, which
     *     would wait for itself
     */
    <T> T write(Write<T> write, WriteFailure failure, long bytes) {
        requireNotAnswering();
        return await(submit(write, failure, bytes, false));
    }

    /**
     * Like {@link #write(Write, WriteFailure)}, for a write committed in a transaction of its own:
     * one that sets something for its transaction, or that may fail where the writes it would share
     * a batch with would not.
     */
    <T> T writeAlone(Write<T> write, WriteFailure failure) {
        requireNotAnswering();
        return await(submitAlone(write, failure));
    }

    /** Puts a write to be committed alone in the queue without waiting for it. */
    <T> PendingWrite<T> submitAlone(Write<T> write, WriteFailure failure) {
        return submit(write, failure, 0, true);
    }

    /**
     * Writes a change without waiting for its commit: the returned outcome completes, on the
     * store's answering thread, as {@link #write(Write, WriteFailure)} would have returned or
     * failed, with the same deadlines. Waits only while the queue is full, for the queue timeout.
     */
    <T> CompletableFuture<T> writeLater(Write<T> write, WriteFailure failure) {
        gate.readLock().lock();
        try {
            // Under the gate, so that the answering thread is still running for the deadline.
            return deadlines.watch(enqueue(write, failure, 0, false));
        } catch (StoreException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            gate.readLock().unlock();
        }
    }

    /**
     * Puts a write in the queue without waiting for it.
     *
     * @throws StoreException if the store is closed, or the queue stayed full for the queue timeout
     */
    <T> PendingWrite<T> submit(Write<T> write, WriteFailure failure, long bytes) {
        return submit(write, failure, bytes, false);
    }

    private <T> PendingWrite<T> submit(
            Write<T> write, WriteFailure failure, long bytes, boolean alone) {
        gate.readLock().lock();
        try {
            return enqueue(write, failure, bytes, alone);
        } finally {
            gate.readLock().unlock();
        }
    }

    /** Returns how many writes wait in the queue. */
    int queued() {
        return queue.size();
    }

    /**
     * Stops taking writes and returns once every write taken before is committed or failed and its
     * caller answered. A second call, from another thread while the first one drains the queue,
     * waits for it too, so that no caller goes on to close the connections under the writer. A call
     * from a callback the writer answers returns once every write is committed or failed, their
     * callers answered after the callback; a second such call returns at once, since the first call
     * waits for that callback.
     */
    @Override
    public void close() {
        boolean first;
        boolean running;
        gate.writeLock().lock();
        try {
            first = !closed;
            closed = true;
            running = started;
        } finally {
            gate.writeLock().unlock();
        }
        if (!first) {
            awaitStopped();
            return;
        }
        try {
            stop(running);
        } finally {
            stopped.countDown();
        }
    }

    private void stop(boolean running) {
        if (running) {
            putUninterruptibly(STOP);
            joinUninterruptibly();
            LOG.debug("The writer stopped");
        } else {
            failQueued();
        }
        stopAnswering();
    }

    private void awaitStopped() {
        if (!ANSWERING.get()) {
            uninterruptibly(stopped::await);
        }
    }

    private <T> T await(PendingWrite<T> pending) {
        return pending.await(settings.writeTimeout());
    }

    private void requireNotAnswering() {
        if (ANSWERING.get()) {
            throw new IllegalStateException(
                    "the store was called, and would wait for a write, from a callback of its own"
                            + " asynchronous write: its one answering thread runs such callbacks,"
                            + " and would wait for itself; run that work on another executor, as"
                            + " thenApplyAsync does");
        }
    }

    private <T> PendingWrite<T> enqueue(
            Write<T> write, WriteFailure failure, long bytes, boolean alone) {
        if (closed) {
            throw failure.toException("the store is closed");
        }
        PendingWrite<T> pending =
                new PendingWrite<>(write, failure, bytes, alone, databaseUnreachable);
        try {
            if (!queue.offer(pending, settings.queueTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                warnFull();
                throw failure.toException("the store is overloaded; try again later");
            }
            return pending;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure.toException("the waiting thread was interrupted; nothing was stored");
        }
    }

    private void run() {
        LOG.debug("The writer started");
        boolean stopping = false;
        while (!stopping) {
            List<PendingWrite<?>> batch = new ArrayList<>();
            stopping = collect(batch);
            PendingWrite<?> chore = stopping ? null : upkeep.next(batch.size(), queue.isEmpty());
            commit(batch);
            if (chore != null) {
                commit(List.of(chore));
            }
        }
    }

    /** Commits a batch and has its callers told, off this thread. */
    private void commit(List<PendingWrite<?>> batch) {
        if (batch.isEmpty()) {
            return;
        }
        committer.commit(batch);
        answers.execute(() -> batch.forEach(PendingWrite::tell));
    }

    /**
     * Waits for a write, or for as long as the upkeep asks, then takes what else is queued up to
     * the batch limits.
     *
     * @return true when the stop mark was reached: nothing follows it
     */
    private boolean collect(List<PendingWrite<?>> batch) {
        long bytes = 0;
        PendingWrite<?> next = heldBack != null ? heldBack : firstWrite();
        heldBack = null;
        while (next != null) {
            if (next == STOP) {
                return true;
            }
            if (next.alone() && !batch.isEmpty()) {
                heldBack = next;
                return false;
            }
            if (next.take()) {
                batch.add(next);
                bytes += next.bytes();
                if (next.alone()) {
                    return false;
                }
            }
            if (batch.size() >= settings.maxBatchSize() || bytes >= settings.maxBatchBytes()) {
                return false;
            }
            next = queue.poll();
        }
        return false;
    }

    /** Waits for a write, or for as long as the upkeep asks: null when none came meanwhile. */
    private PendingWrite<?> firstWrite() {
        Duration idleWait = upkeep.idleWait();
        return idleWait == null ? takeUninterruptibly() : pollUninterruptibly(idleWait);
    }

    private PendingWrite<?> takeUninterruptibly() {
        while (true) {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                // Only close() ends the writer: callers wait on it for their writes.
                LOG.debug("The writer was interrupted; it goes on until the store is closed");
            }
        }
    }

    private PendingWrite<?> pollUninterruptibly(Duration timeout) {
        try {
            return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            LOG.debug("The writer was interrupted; it goes on until the store is closed");
            return null;
        }
    }

    private void putUninterruptibly(PendingWrite<?> write) {
        uninterruptibly(() -> queue.put(write));
    }

    private void joinUninterruptibly() {
        uninterruptibly(thread::join);
    }

    /** A wait that an interrupt may cut short. */
    @FunctionalInterface
    private interface Wait {
        void run() throws InterruptedException;
    }

    /** Waits to the end however often interrupted, then leaves the thread interrupted if it was. */
    private static void uninterruptibly(Wait wait) {
        boolean interrupted = false;
        while (true) {
            try {
                wait.run();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void failQueued() {
        for (PendingWrite<?> write = queue.poll(); write != null; write = queue.poll()) {
            if (write.take()) {
                write.fail(write.failure().toException("the store was closed before it started"));
                write.tell();
            }
        }
    }

    /**
     * Lets the answering thread finish what it was given, and waits for it unless this is that
     * thread, closing the store from a callback: it goes on to answer the rest once the callback
     * returns.
     */
    private void stopAnswering() {
        answers.shutdown();
        if (ANSWERING.get()) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                if (answers.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
                LOG.warn("Callers of the store are still being answered after a minute");
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static ScheduledThreadPoolExecutor answerThread() {
        ScheduledThreadPoolExecutor executor =
                new ScheduledThreadPoolExecutor(
                        1,
                        task -> {
                            Thread thread =
                                    new Thread(
                                            () -> {
                                                ANSWERING.set(true);
                                                task.run();
                                            },
                                            "email-tracking-answers");
                            thread.setDaemon(true);
                            return thread;
                        });
        // Once every caller is told, the deadlines still pending have no one left to fail.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }

    /**
     * Work the writer does of its own accord: it asks after collecting each batch, also an empty
     * one when it stopped waiting for writes.
     */
    interface Upkeep {

        /** No work of its own: the writer waits for writes without end. */
        Upkeep NONE =
                new Upkeep() {
                    @Override
                    public Duration idleWait() {
                        return null;
                    }

                    @Override
                    public PendingWrite<?> next(int batchSize, boolean queueEmpty) {
                        return null;
                    }
                };

        /** Returns how long the writer waits for a write before asking anyway; null: no end. */
        Duration idleWait();

        /**
         * Returns a write to commit once the batch just collected is committed, in a transaction of
         * its own, so that the batch's callers never wait for it nor fail with it; or null.
         *
         * @param batchSize how many writes of callers the batch holds
         * @param queueEmpty whether no write waits beyond the batch
         */
        PendingWrite<?> next(int batchSize, boolean queueEmpty);
    }

    private void warnFull() {
        if (warnedFull.compareAndSet(false, true)) {
            LOG.warn(
                    "The write queue stayed full for {} ms; writes are refused until it drains"
                            + " (this is said once)",
                    settings.queueTimeout().toMillis());
        } else {
            LOG.debug("The write queue is full; a write was refused");
        }
    }
}
