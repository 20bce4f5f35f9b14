package io.github.emailtracking.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.emailtracking.api.Classification;
import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.TrackingId;
import io.github.emailtracking.api.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventRowsTest {

    private static final TrackingId ID = new TrackingId("t1");
    private static final Instant SENT = Instant.parse("2026-03-02T09:00:00Z");
    private static final Classification PROXY =
            new Classification(Verdict.PROXY, "a mail privacy proxy");

    private final EventRows<OpenEvent, ?> opens = EventRows.opens();

    @Test
    void window_countsBackFromTheLastRow_andListsInTheOrderKept() {
        List<OpenEvent> kept = new ArrayList<>();
        for (int second = 0; second < 10; second++) {
            kept.add(open(SENT.plusSeconds(second), "192.0.2." + second % 3, Classification.HUMAN));
        }
        kept.forEach(opens::add);

        assertThat(opens.window(ID, new Page(3, 0))).isEqualTo(kept.subList(7, 10));
        assertThat(opens.window(ID, new Page(3, 8))).isEqualTo(kept.subList(0, 2));
        assertThat(opens.window(ID, new Page(100, 10))).isEmpty();
        assertThat(opens.window(ID, new Page(100, 0))).isEqualTo(kept);
    }

    @Test
    void add_keepsTimesToTheNanosecondAndBeforeTheEpoch() {
        OpenEvent late = open(Instant.parse("9999-12-31T23:59:59.999999999Z"), "a", PROXY);
        OpenEvent early = open(Instant.parse("1969-12-31T23:59:59.000000001Z"), null, PROXY);

        opens.add(late);
        opens.add(early);

        assertThat(opens.window(ID, Page.NEWEST)).containsExactly(late, early);
    }

    @Test
    void add_clientsTakingTurns_keepsTheirDetailsOnce() {
        for (int second = 0; second < 100; second++) {
            String client = second % 2 == 0 ? "192.0.2.1" : "192.0.2.2";
            opens.add(open(SENT.plusSeconds(second), client, Classification.HUMAN));
        }

        assertThat(opens.size()).isEqualTo(100);
        assertThat(opens.detailsKept()).isEqualTo(2);
    }

    @Test
    void deleteBefore_keepsTheRowsAtTheCutoff_andForgetsDetailsNoRowUses() {
        Instant cutoff = SENT.plusNanos(500);
        OpenEvent before = open(cutoff.minusNanos(1), "192.0.2.9", Classification.HUMAN);
        OpenEvent at = open(cutoff, "192.0.2.2", PROXY);
        OpenEvent after = open(cutoff.plusSeconds(1), "192.0.2.1", Classification.HUMAN);
        opens.add(after);
        opens.add(before);
        opens.add(at);

        int deleted = opens.deleteBefore(cutoff);
        OpenEvent later = open(cutoff.plusSeconds(2), "192.0.2.2", PROXY);
        opens.add(later);

        assertThat(deleted).isEqualTo(1);
        assertThat(opens.window(ID, Page.NEWEST)).containsExactly(after, at, later);
        assertThat(opens.detailsKept()).isEqualTo(2);
    }

    @Test
    void clicks_keepTheirLinks() {
        EventRows<ClickEvent, ?> clicks = EventRows.clicks();
        ClickEvent first =
                new ClickEvent(ID, SENT, "https://example.com/a", "192.0.2.1", null, PROXY);
        ClickEvent second =
                new ClickEvent(ID, SENT, "https://example.com/b", "192.0.2.1", "Mail/1.0", PROXY);

        clicks.add(first);
        clicks.add(second);

        assertThat(clicks.window(ID, Page.NEWEST)).containsExactly(first, second);
    }

    private static OpenEvent open(Instant at, String ipAddress, Classification classification) {
        return new OpenEvent(ID, at, ipAddress, "Mail/1.0", classification);
    }
}
