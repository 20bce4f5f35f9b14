package io.github.emailtracking.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.Classification;
import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.EmailStatus;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.SettableClock;
import io.github.emailtracking.api.Viewer;
import io.github.emailtracking.storage.memory.MemoryTrackingStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Scores the built-in rules on labelled traces of Apple's privacy prefetch, Gmail's image proxy,
 * security gateways scanning every link, and people on phones and desktops (see {@link
 * TraceGenerator}). Each trace's events are recorded in time order through an {@link EmailTracker}
 * over a memory store, as the servlet records them, and the judgements are read back from the
 * email's status. Prints a table and writes it to {@code target/classifier-report.txt}.
 */
class ClassifierTracesTest {

    private static final long SEED = 20_260_302L;
    private static final int TRACES_PER_SCENARIO = 400;
    private static final double FLOOR = 0.95;
    private static final Viewer ALICE = Viewer.owner("alice");
    private static final Instant FIRST_SENT = Instant.parse("2026-03-02T09:00:00Z");

    private final SettableClock clock = new SettableClock(FIRST_SENT);
    private final EmailTracker tracker =
            EmailTracker.builder()
                    .store(new MemoryTrackingStore())
                    .publicBaseUrl("https://track.example.com/api/track")
                    .clock(clock)
                    .idGenerator(new CountingIds())
                    .build();
    private final Campaign campaign = tracker.createCampaign("alice", "Spring sale");

    @Test
    void classify_labelledTraces_keepsPrecisionAndRecallAboveTheFloor() throws IOException {
        List<Trace> traces = new TraceGenerator(new Random(SEED)).traces(TRACES_PER_SCENARIO);

        ClassifierScore score = new ClassifierScore();
        for (int i = 0; i < traces.size(); i++) {
            score.add(traces.get(i), judge(traces.get(i), i));
        }

        String table = score.table("Built-in rules on labelled traces, seed " + SEED);
        System.out.println(table);
        Path report = Path.of("target", "classifier-report.txt");
        Files.createDirectories(report.getParent());
        Files.writeString(report, table);

        SoftAssertions.assertSoftly(
                softly -> {
                    softly.assertThat(score.machinePrecision())
                            .as("machine precision")
                            .isGreaterThan(FLOOR);
                    softly.assertThat(score.machineRecall())
                            .as("machine recall")
                            .isGreaterThan(FLOOR);
                    softly.assertThat(score.personPrecision())
                            .as("person precision")
                            .isGreaterThan(FLOOR);
                    softly.assertThat(score.personRecall())
                            .as("person recall")
                            .isGreaterThan(FLOOR);
                    softly.assertThat(score.overallPrecision())
                            .as("overall precision")
                            .isGreaterThan(FLOOR);
                    softly.assertThat(score.overallRecall())
                            .as("overall recall")
                            .isGreaterThan(FLOOR);
                });
    }

    @Test
    void traces_sameSeed_areTheSame() {
        List<Trace> first = new TraceGenerator(new Random(SEED)).traces(20);
        List<Trace> second = new TraceGenerator(new Random(SEED)).traces(20);

        assertThat(first).isEqualTo(second);
    }

    @Test
    void randomAddresses_stayInsideTheirRange() {
        Random random = new Random(SEED);
        for (String range : List.of("40.92.0.0/15", "209.222.80.0/21", "2a01:111:f400::/48")) {
            for (int i = 0; i < 100; i++) {
                IpAddress address = IpAddress.parse(RandomAddresses.in(range, random));

                assertThat(Cidr.parse(range).contains(address)).as(range).isTrue();
            }
        }
    }

    /** Records the events of a trace in time order, and returns how each was judged. */
    private List<Classification> judge(Trace trace, int number) {
        Instant sentAt = FIRST_SENT.plusSeconds(number);
        clock.set(sentAt);
        RegisteredEmail email =
                tracker.registerEmail(
                        ALICE,
                        campaign.id().value(),
                        NewEmail.to("reader@example.com", trace.links()));
        String id = email.trackingId().value();
        for (TraceEvent event : trace.events()) {
            clock.set(sentAt.plusMillis(event.afterSendingMillis()));
            ClientInfo client =
                    new ClientInfo(event.ipAddress(), event.userAgent(), "GET", Map.of());
            if (event.kind() == EventKind.OPEN) {
                tracker.recordOpen(id, client);
            } else {
                tracker.recordClick(id, event.url(), null, client);
            }
        }
        return judgementsInTraceOrder(trace, tracker.status(ALICE, id, Page.NEWEST).orElseThrow());
    }

    private static List<Classification> judgementsInTraceOrder(Trace trace, EmailStatus status) {
        Iterator<OpenEvent> opens = status.opens().iterator();
        Iterator<ClickEvent> clicks = status.clicks().iterator();
        List<Classification> judgements = new ArrayList<>();
        for (TraceEvent event : trace.events()) {
            judgements.add(
                    event.kind() == EventKind.OPEN
                            ? opens.next().classification()
                            : clicks.next().classification());
        }
        return judgements;
    }
}
