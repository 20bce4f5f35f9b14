package io.github.emailtracking.storage.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the size of a SQLite file's write-ahead log, and warns when it grew far past the pages
 * the writer lets it hold: then a connection keeps one snapshot open for long (a backup, a shell
 * left in a transaction), the log cannot be copied into the database beyond that snapshot, and it
 * grows with every write until the reader is done. Looks at most once per {@link #CHECK_PERIOD},
 * and warns at most once per {@link #WARNING_PERIOD}. Thread-safe.
 */
final class LogGrowth {

    /** Above this size the log is taken to be held open by a reader. */
    static final long WARN_ABOVE_BYTES = 4L * Database.WRITER_LOG_LIMIT_BYTES;

    /** How often, at most, the log's size is looked at. */
    static final Duration CHECK_PERIOD = Duration.ofSeconds(10);

    /** How often, at most, a grown log is warned of. */
    static final Duration WARNING_PERIOD = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(LogGrowth.class);
    private static final long MIB = 1024 * 1024;

    private final Path log;
    private final LongSupplier nanoTime;
    private final Consumer<String> warning;
    private boolean checked;
    private long checkedAt;
    private boolean warned;
    private long warnedAt;

    /** Watches the log of the SQLite database file {@code database}. */
    LogGrowth(Path database) {
        this(database, System::nanoTime, LOG::warn);
    }

    /**
     * @param nanoTime the clock the periods are measured by
     * @param warning where a warning goes
     */
    LogGrowth(Path database, LongSupplier nanoTime, Consumer<String> warning) {
        this.log = database.resolveSibling(database.getFileName() + "-wal");
        this.nanoTime = nanoTime;
        this.warning = warning;
    }

    /** Looks at the log's size, when the last look is a period old, and warns if it grew. */
    synchronized void check() {
        long now = nanoTime.getAsLong();
        if (checked && now - checkedAt < CHECK_PERIOD.toNanos()) {
            return;
        }
        checked = true;
        checkedAt = now;
        long size = sizeOfLog();
        if (size <= WARN_ABOVE_BYTES || warned && now - warnedAt < WARNING_PERIOD.toNanos()) {
            return;
        }
        warned = true;
        warnedAt = now;
        warning.accept(
                "The SQLite write-ahead log "
                        + log
                        + " has grown to "
                        + size / MIB
                        + " MiB: a connection keeps a read transaction open (a backup, or a shell"
                        + " left in a transaction), so the log cannot be copied into the database"
                        + " and grows with every write until that reader ends; leave the disk room"
                        + " for it, or end the reader");
    }

    private long sizeOfLog() {
        try {
            return Files.size(log);
        } catch (IOException e) {
            // No log yet, or none to be read: the writes tell what is wrong, if anything is.
            return 0;
        }
    }
}
