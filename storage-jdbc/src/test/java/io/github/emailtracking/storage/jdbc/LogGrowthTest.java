package io.github.emailtracking.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogGrowthTest {

    @TempDir Path folder;

    private final List<String> warnings = new ArrayList<>();
    private long now = 1_000;

    @Test
    void check_logFarPastItsLimit_warnsWithItsSizeAndTheLikelyCause() throws IOException {
        LogGrowth growth = watching("grown.db", LogGrowth.WARN_ABOVE_BYTES + 1);

        growth.check();

        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0))
                .contains(folder.resolve("grown.db-wal").toString())
                .contains("has grown to 156 MiB")
                .contains("a connection keeps a read transaction open");
    }

    @Test
    void check_logWithinBounds_orMissing_saysNothing() throws IOException {
        LogGrowth within = watching("within.db", LogGrowth.WARN_ABOVE_BYTES);
        LogGrowth missing = new LogGrowth(folder.resolve("missing.db"), () -> now, warnings::add);

        within.check();
        missing.check();

        assertThat(warnings).isEmpty();
    }

    @Test
    void check_againWithinItsPeriods_looksAndWarnsOnlyOncePerPeriod() throws IOException {
        LogGrowth growth = watching("grown.db", LogGrowth.WARN_ABOVE_BYTES + 1);

        growth.check();
        now += LogGrowth.CHECK_PERIOD.toNanos();
        growth.check();
        now += LogGrowth.WARNING_PERIOD.toNanos() - LogGrowth.CHECK_PERIOD.toNanos() - 1;
        growth.check();
        assertThat(warnings).hasSize(1);

        now += LogGrowth.CHECK_PERIOD.toNanos();
        growth.check();
        assertThat(warnings).hasSize(2);
    }

    @Test
    void check_logGrownBetweenLooks_isWarnedOfAtTheNextLookOnly() throws IOException {
        LogGrowth growth = watching("growing.db", 0);
        growth.check();

        sizeLog("growing.db", LogGrowth.WARN_ABOVE_BYTES + 1);
        now += LogGrowth.CHECK_PERIOD.toNanos() - 1;
        growth.check();
        assertThat(warnings).isEmpty();

        now += 1;
        growth.check();
        assertThat(warnings).hasSize(1);
    }

    private LogGrowth watching(String database, long logBytes) throws IOException {
        sizeLog(database, logBytes);
        return new LogGrowth(folder.resolve(database), () -> now, warnings::add);
    }

    /** Gives the log a size without writing its bytes: the file is sparse. */
    private void sizeLog(String database, long bytes) throws IOException {
        try (RandomAccessFile log =
                new RandomAccessFile(folder.resolve(database + "-wal").toFile(), "rw")) {
            log.setLength(bytes);
        }
    }
}
