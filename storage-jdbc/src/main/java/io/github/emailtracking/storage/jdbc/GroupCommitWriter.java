package io.github.emailtracking.storage.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes to the database. Callers put their writes in a bounded queue and wait;
 * the writer takes whatever is queued, up to a batch, commits it in one transaction and then
 * answers each caller, so that many callers share one commit and each learns only of a durable
 * change.
 *
 * <p>Thread-safe. {@link #close} stops taking writes, commits every write accepted before it, and
 * returns when the writer has stopped.
 */
final class GroupCommitWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    /** Put in the queue by {@link #close}: everything before it was accepted. */
    private static final PendingWrite<Void> STOP = new PendingWrite<>(tx -> null, null, 0);

    private final BatchCommitter committer;
    private final WriterSettings settings;
    private final BlockingQueue<PendingWrite<?>> queue;
    private final ReadWriteLock gate = new ReentrantReadWriteLock();
    private final AtomicBoolean warnedFull = new AtomicBoolean();
    private final Thread thread;
    // Guarded by the gate's lock.
    private boolean started;
    private boolean closed;

    GroupCommitWriter(BatchCommitter committer, WriterSettings settings) {
        this.committer = committer;
        this.settings = settings;
        this.queue = new LinkedBlockingQueue<>(settings.queueCapacity());
        this.thread = new Thread(this::run, "email-tracking-writer");
        // A caller waits until its write is committed, so a write that the end of the JVM cuts
        // off was never acknowledged; a daemon thread keeps a forgotten store from holding the
        // JVM alive.
        thread.setDaemon(true);
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

    /** Like {@link #write(Write, WriteFailure)}, for a write that carries content. */
    <T> T write(Write<T> write, WriteFailure failure, long bytes) {
        return submit(write, failure, bytes).await(settings.writeTimeout());
    }

    /**
     * Puts a write in the queue without waiting for it.
     *
     * @throws io.github.emailtracking.api.StoreException if the store is closed, or the queue
     *     stayed full for the queue timeout
     */
    <T> PendingWrite<T> submit(Write<T> write, WriteFailure failure, long bytes) {
        PendingWrite<T> pending = new PendingWrite<>(write, failure, bytes);
        gate.readLock().lock();
        try {
            if (closed) {
                throw failure.toException("the store is closed");
            }
            if (!queue.offer(pending, settings.queueTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                warnFull();
                throw failure.toException("the store is overloaded; try again later");
            }
            return pending;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure.toException("the waiting thread was interrupted; nothing was stored");
        } finally {
            gate.readLock().unlock();
        }
    }

    /** Returns how many writes wait in the queue. */
    int queued() {
        return queue.size();
    }

    @Override
    public void close() {
        boolean running;
        gate.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            running = started;
        } finally {
            gate.writeLock().unlock();
        }
        if (!running) {
            failQueued();
            return;
        }
        putUninterruptibly(STOP);
        joinUninterruptibly();
        LOG.debug("The writer stopped");
    }

    private void run() {
        LOG.debug("The writer started");
        List<PendingWrite<?>> batch = new ArrayList<>(settings.maxBatchSize());
        boolean stopping = false;
        while (!stopping) {
            stopping = collect(batch);
            if (!batch.isEmpty()) {
                committer.commit(batch);
                batch.clear();
            }
        }
    }

    /**
     * Waits for a write, then takes what else is queued up to the batch limits.
     *
     * @return true when the stop mark was reached: nothing follows it
     */
    private boolean collect(List<PendingWrite<?>> batch) {
        long bytes = 0;
        PendingWrite<?> next = takeUninterruptibly();
        while (next != null) {
            if (next == STOP) {
                return true;
            }
            if (next.take()) {
                batch.add(next);
                bytes += next.bytes();
            }
            if (batch.size() >= settings.maxBatchSize() || bytes >= settings.maxBatchBytes()) {
                return false;
            }
            next = queue.poll();
        }
        return false;
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

    private void putUninterruptibly(PendingWrite<?> write) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(write);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void joinUninterruptibly() {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
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
            }
        }
    }

    private void warnFull() {
        if (warnedFull.compareAndSet(false, true)) {
            LOG.warn(
                    "The write queue stayed full for {}; writes are refused until it drains (this"
                            + " is said once)",
                    settings.queueTimeout());
        } else {
            LOG.debug("The write queue is full; a write was refused");
        }
    }
}
