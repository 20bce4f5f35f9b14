package io.github.emailtracking.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.emailtracking.api.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DroppedEventsTest {

    private final AtomicLong nanos = new AtomicLong(Long.MAX_VALUE - 1_000_000_000L);
    private final List<String> warnings = new ArrayList<>();
    private final List<Runnable> scheduled = new ArrayList<>();
    private final List<Duration> delays = new ArrayList<>();
    private final DroppedEvents dropped =
            new DroppedEvents(
                    nanos::get,
                    (count, kind, cause) -> warnings.add(count + " " + kind),
                    (delay, task) -> {
                        delays.add(delay);
                        scheduled.add(task);
                    });

    @Test
    void firstDrop_isWarnedOfAtOnce() {
        dropped.add("open", failure());

        assertThat(warnings).containsExactly("1 open");
        assertThat(scheduled).isEmpty();
    }

    @Test
    void dropsWithinAMinuteOfAWarning_areWarnedOfOnceItIsAMinuteOld_withNoFurtherDrop() {
        dropped.add("open", failure());
        advance(Duration.ofSeconds(10));
        dropped.add("open", failure());
        dropped.add("click", failure());

        advance(Duration.ofSeconds(50));
        scheduled.forEach(Runnable::run);

        assertThat(delays).containsExactly(Duration.ofSeconds(50));
        assertThat(warnings).containsExactly("1 open", "2 click");
    }

    @Test
    void dueWarning_withNothingDroppedSince_saysNothing() {
        dropped.add("open", failure());
        dropped.add("open", failure());
        advance(Duration.ofMinutes(1));
        scheduled.forEach(Runnable::run);
        List<Runnable> again = List.copyOf(scheduled);
        scheduled.clear();

        advance(Duration.ofMinutes(5));
        again.forEach(Runnable::run);

        assertThat(warnings).containsExactly("1 open", "1 open");
        assertThat(scheduled).isEmpty();
    }

    @Test
    void total_countsEveryDrop_andUnconfirmedThoseTheStoreMayHaveKept() {
        dropped.add("open", failure());
        dropped.add("open", new StoreException("commit lost", null, true));

        assertThat(dropped.total()).isEqualTo(2);
        assertThat(dropped.unconfirmed()).isEqualTo(1);
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    private static RuntimeException failure() {
        return new StoreException("the disk is full", null);
    }
}
