package io.github.emailtracking.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.emailtracking.api.TrackingId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

class SentTimesTest {

    private static final Instant SENT = Instant.parse("2026-03-02T09:00:00Z");

    private final SentTimes times = new SentTimes();

    @Test
    void find_unknownEmail_isNull() {
        assertThat(times.find(new TrackingId("t1"))).isNull();
    }

    @Test
    void find_rememberedEmail_givesItsSendingTime() {
        times.remember(new TrackingId("t1"), SENT);
        times.remember(new TrackingId("t2"), SENT.plusSeconds(1));

        assertThat(times.find(new TrackingId("t1"))).isEqualTo(SENT);
        assertThat(times.find(new TrackingId("t2"))).isEqualTo(SENT.plusSeconds(1));
    }

    @Test
    void find_twoEmailsOfOneFirstSlot_keepsBoth() {
        List<TrackingId> pair = sharingSlot(SentTimes::firstSlot, 2);

        for (int round = 0; round < 3; round++) {
            times.remember(pair.get(0), SENT);
            times.remember(pair.get(1), SENT.plusSeconds(1));
        }

        assertThat(times.find(pair.get(0))).isEqualTo(SENT);
        assertThat(times.find(pair.get(1))).isEqualTo(SENT.plusSeconds(1));
    }

    @Test
    void find_emailRememberedAgain_takesNoSecondSlot() {
        List<TrackingId> pair = sharingSlot(SentTimes::firstSlot, 2);
        times.remember(pair.get(0), SENT);
        times.remember(pair.get(1), SENT.plusSeconds(1));

        times.remember(pair.get(1), SENT.plusSeconds(1));
        times.remember(pair.get(0), SENT);

        assertThat(times.find(pair.get(0))).isEqualTo(SENT);
        assertThat(times.find(pair.get(1))).isEqualTo(SENT.plusSeconds(1));
    }

    @Test
    void find_moreEmailsThanTheirSlots_neverGivesAnotherEmailsTime() {
        List<TrackingId> crowd = sharingSlot(SentTimes::firstSlot, 4);
        for (int i = 0; i < crowd.size(); i++) {
            times.remember(crowd.get(i), SENT.plusSeconds(i));
        }

        for (int i = 0; i < crowd.size(); i++) {
            Instant found = times.find(crowd.get(i));
            assertThat(found).isIn(null, SENT.plusSeconds(i));
        }
        assertThat(times.find(crowd.get(crowd.size() - 1))).isEqualTo(SENT.plusSeconds(3));
    }

    /** Returns {@code count} distinct ids whose slot by {@code slotOf} is the same. */
    private static List<TrackingId> sharingSlot(IntUnaryOperator slotOf, int count) {
        Random random = new Random(42);
        Map<Integer, List<TrackingId>> bySlot = new HashMap<>();
        while (true) {
            TrackingId id = new TrackingId("t" + Long.toString(random.nextLong() >>> 1, 36));
            List<TrackingId> same =
                    bySlot.computeIfAbsent(
                            slotOf.applyAsInt(id.value().hashCode()), slot -> new ArrayList<>());
            if (!same.contains(id)) {
                same.add(id);
            }
            if (same.size() == count) {
                return same;
            }
        }
    }
}
