package io.github.emailtracking.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When the writer folds the open journal of its own accord; the folds themselves run on files. */
class JournalFoldingTest {

    private static final double IDLE_CPU = 0.1;
    private static final double BUSY_CPU = 0.95;

    @Test
    void idleWait_whileOpensMayBeUnfolded_isShort() {
        JournalFolding folding = new JournalFolding(100, () -> IDLE_CPU);

        assertThat(folding.idleWait()).isEqualTo(JournalFolding.IDLE_WAIT);
    }

    @Test
    void next_afterAQuietMoment_foldsEvenWithTheProcessorsBusy() {
        JournalFolding folding = new JournalFolding(100, () -> BUSY_CPU);

        assertThat(folding.next(0, true)).isNotNull();
    }

    @Test
    void next_afterASmallBatchWithTheProcessorsIdle_folds() {
        JournalFolding folding = new JournalFolding(100, () -> IDLE_CPU);

        assertThat(folding.next(JournalFolding.LIGHT_BATCH - 1, true)).isNotNull();
    }

    @Test
    void next_afterASmallBatchWithTheProcessorsBusy_waitsForTheBound() {
        JournalFolding folding = new JournalFolding(3, () -> BUSY_CPU);

        assertThat(folding.next(1, true)).isNull();
        folding.appended();
        folding.appended();
        assertThat(folding.next(1, true)).isNotNull();
    }

    @Test
    void next_withWritesWaiting_foldsOnlyPastTheBound() {
        JournalFolding folding = new JournalFolding(2, () -> IDLE_CPU);

        assertThat(folding.next(1, false)).isNull();
        assertThat(folding.next(JournalFolding.LIGHT_BATCH, true)).isNull();
        folding.appended();
        assertThat(folding.next(500, false)).isNotNull();
    }

    @Test
    void next_whenTheLastFoldWasNotCommitted_pausesFolding() {
        JournalFolding folding = new JournalFolding(100, () -> IDLE_CPU);
        assertThat(folding.next(0, true)).isNotNull();

        assertThat(folding.next(0, true)).isNull();
        assertThat(folding.idleWait()).isEqualTo(JournalFolding.PROBE_WAIT);
    }

    @Test
    void next_withNoOpenKnownToBeUnfolded_looksOnlyOncePerProbeWait() {
        JournalFolding folding = new JournalFolding(100, () -> IDLE_CPU);
        assertThat(folding.next(0, true)).isNotNull();
        folding.folded(new OpenJournal.Fold(0, false));

        assertThat(folding.idleWait()).isEqualTo(JournalFolding.PROBE_WAIT);
        assertThat(folding.next(0, true)).isNull();
        assertThat(folding.next(1, true)).isNull();
    }

    @Test
    void folded_leavingNoneAfterAFoldThatStartedPastTheFirstRow_looksOnceMoreFromTheFirst() {
        JournalFolding folding = new JournalFolding(100, () -> IDLE_CPU);
        folding.next(0, true);
        folding.folded(new OpenJournal.Fold(5_000, true));
        folding.next(0, true);

        folding.folded(new OpenJournal.Fold(5_000, false));

        assertThat(folding.idleWait()).isEqualTo(JournalFolding.IDLE_WAIT);
        assertThat(folding.next(0, true)).isNotNull();
    }

    @Test
    void next_afterAFoldThatLeftOpens_foldsAgainInSpareTime() {
        JournalFolding folding = new JournalFolding(100, () -> IDLE_CPU);
        assertThat(folding.next(0, true)).isNotNull();
        folding.folded(new OpenJournal.Fold(5_000, true));

        assertThat(folding.idleWait()).isEqualTo(JournalFolding.IDLE_WAIT);
        assertThat(folding.next(0, true)).isNotNull();
    }

    @Test
    void next_withTheProcessorsLoadUnknown_takesThemForIdle() {
        JournalFolding folding = new JournalFolding(100, () -> -1);

        assertThat(folding.next(1, true)).isNotNull();
    }
}
