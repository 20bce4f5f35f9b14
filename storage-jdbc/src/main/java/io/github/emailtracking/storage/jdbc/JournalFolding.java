package io.github.emailtracking.storage.jdbc;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the writer folds the open journal of its own accord: when the machine has time to spare,
 * that is when no write came for a moment, or when no write waits, the batch just taken was small
 * and the processors are not busy; and under any load once the journal holds more opens than the
 * bound. Under a burst that keeps the processors busy the opens are only appended, so the burst is
 * answered at the speed of appends and folded after it, or in large transactions when it lasts.
 *
 * <p>It counts the opens it knows to be in the journal: those this store appended, less those it
 * folded, and starts from one, so that opens left by an earlier run are folded when it is idle.
 * When it knows of none it still looks, in spare time once a second, for opens that another store
 * on the same database appended and did not fold, having stopped or crashed. Used by the writer
 * thread only.
 */
final class JournalFolding implements GroupCommitWriter.Upkeep {

    /**
     * How many opens one transaction folds at most. A larger fold writes each page of the open
     * rows' index once for more opens; one of this size keeps the writer, and the writes queued
     * behind it, for a tenth to a quarter of a second.
     */
    static final int FOLD_SIZE = 20_000;

    /**
     * How long a fold waits for a lock that another transaction holds, on PostgreSQL, in its one
     * try: a table that someone locks for long (as a {@code REINDEX} of the open rows does) then
     * fails the fold within a second, and the opens queued behind it are appended while folding
     * pauses, instead of waiting past their deadline. A fold of 20,000 opens by another store on
     * the same database, which a fold waits for, takes less.
     */
    static final Duration LOCK_WAIT = Duration.ofSeconds(1);

    /** A batch smaller than this, with nothing queued behind it, leaves the writer time to fold. */
    static final int LIGHT_BATCH = 16;

    /** How long the writer waits for a write before it folds, while the journal has opens. */
    static final Duration IDLE_WAIT = Duration.ofMillis(10);

    /**
     * Above this share of the machine's processors in use, folding waits for quiet or the bound.
     */
    static final double BUSY_CPU = 0.75;

    /** How often the processors' load is sampled, at most. */
    static final Duration CPU_SAMPLE = Duration.ofMillis(100);

    /**
     * How often the writer looks at the journal in its spare time when it knows of no open there:
     * another store on the same database may have appended some and stopped.
     */
    static final Duration PROBE_WAIT = Duration.ofSeconds(1);

    /** How long the writer leaves the journal alone after a fold failed. */
    static final Duration FAILURE_PAUSE = Duration.ofSeconds(1);

    /** How often, at most, the writer warns that folds fail. */
    static final Duration FAILURE_WARNING_PERIOD = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(JournalFolding.class);
    private static final WriteFailure FOLD_FAILURE = WriteFailure.of("fold the open journal");

    private final long bound;
    private final DoubleSupplier cpuLoad;
    private long unfolded = 1;
    private long sampledAt;
    private boolean cpuBusy;
    private boolean folding;
    private long pausedUntil;
    private long foldedAt = System.nanoTime();
    private long foldedThrough;
    private final PeriodicWarning failedFolds =
            new PeriodicWarning(
                    LOG,
                    FAILURE_WARNING_PERIOD,
                    "{} fold(s) of the open journal failed since the last warning; the opens stay"
                            + " in the journal, counted once the database lets them be folded");

    /**
     * @param bound how many opens the journal may hold before the writer folds them under load
     */
    JournalFolding(long bound) {
        this(bound, JournalFolding::systemCpuLoad);
    }

    /**
     * @param bound how many opens the journal may hold before the writer folds them under load
     * @param cpuLoad the share of the machine's processors in use lately, from 0 to 1, or a
     *     negative number when it is not known
     */
    JournalFolding(long bound, DoubleSupplier cpuLoad) {
        this.bound = bound;
        this.cpuLoad = cpuLoad;
    }

    /**
     * Returns a write that folds the oldest opens of a range of row ids, {@link #FOLD_SIZE} at
     * most, and answers what it did.
     *
     * @param afterId the row id after which to start
     * @param lastId the highest row id to fold
     */
    static Write<OpenJournal.Fold> fold(long afterId, long lastId) {
        return transaction -> {
            transaction.limitLockWait(LOCK_WAIT);
            OpenJournal.Fold fold = transaction.foldJournal(afterId, lastId, FOLD_SIZE);
            return () -> fold;
        };
    }

    /** Notes that this store appended an open, once the append is committed. */
    void appended() {
        unfolded++;
    }

    @Override
    public Duration idleWait() {
        return unfolded > 0 && !paused() ? IDLE_WAIT : PROBE_WAIT;
    }

    @Override
    public PendingWrite<?> next(int batchSize, boolean queueEmpty) {
        if (folding) {
            // The last fold did not report what it took: its transaction failed.
            folding = false;
            pausedUntil = System.nanoTime() + FAILURE_PAUSE.toNanos();
            failedFolds.add(1);
        }
        if (paused() || !worthFolding(batchSize, queueEmpty)) {
            return null;
        }
        folding = true;
        foldedAt = System.nanoTime();
        Write<OpenJournal.Fold> fold = fold(foldedThrough, Long.MAX_VALUE);
        return new PendingWrite<>(
                transaction -> {
                    var done = fold.applyTo(transaction);
                    return () -> folded(done.get());
                },
                FOLD_FAILURE,
                0,
                true);
    }

    /**
     * Notes a committed fold of this writer's. While opens are left, the next fold starts after the
     * last it took; once none are, the next starts from the first row, which finds any that another
     * store committed late with a lower row id, and only a fold from the first row that leaves none
     * tells that the journal is empty.
     *
     * @return {@code fold}
     */
    OpenJournal.Fold folded(OpenJournal.Fold fold) {
        folding = false;
        if (fold.left()) {
            unfolded = Math.max(unfolded - FOLD_SIZE, 1);
            foldedThrough = fold.lastId();
        } else if (foldedThrough > 0) {
            foldedThrough = 0;
        } else {
            unfolded = 0;
        }
        return fold;
    }

    /**
     * Decides on folding after a batch: with no open known to be unfolded, only a look for those
     * that other stores left, in spare time and once per {@link #PROBE_WAIT}.
     */
    private boolean worthFolding(int batchSize, boolean queueEmpty) {
        // An empty batch: the writer waited out its idle wait with nothing to do.
        boolean spareTime = batchSize == 0 || queueEmpty && batchSize < LIGHT_BATCH && !cpuBusy();
        if (unfolded == 0) {
            return spareTime && System.nanoTime() - foldedAt >= PROBE_WAIT.toNanos();
        }
        return spareTime || unfolded >= bound;
    }

    private boolean cpuBusy() {
        long now = System.nanoTime();
        if (sampledAt == 0 || now - sampledAt >= CPU_SAMPLE.toNanos()) {
            cpuBusy = cpuLoad.getAsDouble() > BUSY_CPU;
            sampledAt = now;
        }
        return cpuBusy;
    }

    private static double systemCpuLoad() {
        return ManagementFactory.getOperatingSystemMXBean()
                        instanceof com.sun.management.OperatingSystemMXBean system
                ? system.getCpuLoad()
                : -1;
    }

    private boolean paused() {
        return pausedUntil != 0 && System.nanoTime() - pausedUntil < 0;
    }
}
