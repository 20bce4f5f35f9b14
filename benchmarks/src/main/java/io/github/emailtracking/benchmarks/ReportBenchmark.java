package io.github.emailtracking.benchmarks;

import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.CampaignReport;
import io.github.emailtracking.api.CampaignTotals;
import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.DailyEngagement;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.TrackingEvent;
import io.github.emailtracking.api.TrackingId;
import io.github.emailtracking.api.Viewer;
import io.github.emailtracking.core.EmailTracker;
import io.github.emailtracking.core.NewEmail;
import io.github.emailtracking.storage.jdbc.JdbcTrackingStore;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Seeds a large campaign through the store's own write path, from many threads as many requests
 * would, then times its report. Opens go to 60% of the emails and clicks to a quarter of them, over
 * 20 links, spread over two weeks after sending, so the aggregates are shaped like a real
 * campaign's.
 */
final class ReportBenchmark {

    private static final Viewer ADMIN = Viewer.admin("benchmark");
    private static final Instant SENT = Instant.parse("2026-03-02T08:00:00Z");
    private static final Duration SENDING = Duration.ofHours(1);
    private static final long TWO_WEEKS_MILLIS = Duration.ofDays(14).toMillis();
    private static final double MEAN_DELAY_MILLIS = Duration.ofDays(1).toMillis();
    private static final int LINKS = 20;

    /** Spreads consecutive event numbers over the emails; prime, so every email is reached. */
    private static final long STRIDE = 7_919;

    private final BenchmarkSettings settings;
    private final PrintStream out;

    ReportBenchmark(BenchmarkSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Seeds a campaign in the database, times its report and prints both. */
    ReportTiming run(String label, String jdbcUrl) throws Exception {
        try (JdbcTrackingStore store = JdbcTrackingStore.builder().jdbcUrl(jdbcUrl).build()) {
            EmailTracker tracker =
                    EmailTracker.builder().store(store).publicBaseUrl("http://127.0.0.1/t").build();
            Campaign campaign = tracker.createCampaign("benchmark", "Report benchmark");

            long started = System.nanoTime();
            List<TrackingId> emails = registerEmails(tracker, campaign);
            double registerSeconds = secondsSince(started);
            started = System.nanoTime();
            seedEvents(store, emails);
            double eventSeconds = secondsSince(started);
            out.printf(
                    "  %-8s seeded %,d emails in %.1f s (%,.0f/s) and %,d opens + %,d clicks in"
                            + " %.1f s (%,.0f events/s), %d threads%n",
                    label,
                    emails.size(),
                    registerSeconds,
                    emails.size() / registerSeconds,
                    settings.reportOpens(),
                    settings.reportClicks(),
                    eventSeconds,
                    (settings.reportOpens() + settings.reportClicks()) / eventSeconds,
                    settings.seedThreads());

            ReportTiming timing = time(tracker, campaign);
            printCheck(label, timing.report());
            return timing;
        }
    }

    private List<TrackingId> registerEmails(EmailTracker tracker, Campaign campaign)
            throws Exception {
        TrackingId[] ids = new TrackingId[settings.reportEmails()];
        long sendingMillis = SENDING.toMillis();
        inParallel(
                ids.length,
                i -> {
                    Instant sentAt = SENT.plusMillis(i * sendingMillis / ids.length);
                    NewEmail email =
                            new NewEmail(
                                    "reader" + i + "@example.com", sentAt, List.of(), null, null);
                    ids[(int) i] =
                            tracker.registerEmail(ADMIN, campaign.id().value(), email).trackingId();
                });
        return Arrays.asList(ids);
    }

    private void seedEvents(JdbcTrackingStore store, List<TrackingId> emails) throws Exception {
        long opens = settings.reportOpens();
        int opened = Math.max(1, emails.size() * 6 / 10);
        int clicked = Math.max(1, emails.size() / 4);
        inParallel(
                opens + settings.reportClicks(),
                n -> {
                    SplittableRandom random = new SplittableRandom(n);
                    boolean open = n < opens;
                    int email = (int) ((n * STRIDE) % (open ? opened : clicked));
                    store.record(event(open, emails.get(email), email, random));
                });
    }

    /** Returns an open or a click of one email, some time in the two weeks after it was sent. */
    private TrackingEvent event(boolean open, TrackingId id, int email, SplittableRandom random) {
        long sentAt = SENT.toEpochMilli() + email * SENDING.toMillis() / settings.reportEmails();
        long delay =
                Math.min(
                        TWO_WEEKS_MILLIS,
                        (long) (-Math.log(1 - random.nextDouble()) * MEAN_DELAY_MILLIS));
        Instant at = Instant.ofEpochMilli(sentAt + delay);
        String ip = "192.0.2." + (email % 250 + 1);
        String agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Outlook/16.0";
        if (open) {
            return new OpenEvent(id, at, ip, agent);
        }
        int link = Math.min(LINKS - 1, (int) (-Math.log(1 - random.nextDouble()) * 4));
        return new ClickEvent(id, at, "https://example.com/products/" + link, ip, agent);
    }

    private ReportTiming time(EmailTracker tracker, Campaign campaign) {
        String id = campaign.id().value();
        CampaignReport report = null;
        for (int i = 0; i < settings.reportWarmUps(); i++) {
            report = tracker.campaignReport(ADMIN, id, ZoneOffset.UTC).orElseThrow();
        }
        long[] nanos = new long[settings.reportRuns()];
        for (int i = 0; i < nanos.length; i++) {
            long started = System.nanoTime();
            report = tracker.campaignReport(ADMIN, id, ZoneOffset.UTC).orElseThrow();
            nanos[i] = System.nanoTime() - started;
        }
        Arrays.sort(nanos);
        return new ReportTiming(report, nanos);
    }

    private void printCheck(String label, CampaignReport report) {
        CampaignTotals totals = report.totals();
        long opens = totals.timeline().stream().mapToLong(DailyEngagement::opens).sum();
        long clicks = totals.timeline().stream().mapToLong(DailyEngagement::clicks).sum();
        boolean matches =
                totals.sentCount() == settings.reportEmails()
                        && opens == settings.reportOpens()
                        && clicks == settings.reportClicks();
        out.printf(
                "  %-8s report: %,d sent, %,d opened (%.1f%%), %,d clicked (%.1f%%), %,d opens"
                        + " and %,d clicks over %d days, %d top links: %s%n",
                label,
                totals.sentCount(),
                totals.openedCount(),
                report.openRate(),
                totals.clickedCount(),
                report.clickRate(),
                opens,
                clicks,
                totals.timeline().size(),
                totals.topLinks().size(),
                matches ? "matches what was seeded" : "DOES NOT MATCH what was seeded");
    }

    /** Runs {@code task} for 0 to {@code count - 1} on the seeding threads, and waits for all. */
    private void inParallel(long count, LongConsumer task) throws Exception {
        AtomicLong next = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(settings.seedThreads());
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < settings.seedThreads(); i++) {
                workers.add(
                        pool.submit(
                                () -> {
                                    for (long n = next.getAndIncrement();
                                            n < count;
                                            n = next.getAndIncrement()) {
                                        task.accept(n);
                                    }
                                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static double secondsSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /**
     * The timed reports of one campaign.
     *
     * @param report the last report, to check against what was seeded
     * @param sortedNanos how long each timed report took, shortest first
     */
    record ReportTiming(CampaignReport report, long[] sortedNanos) {

        double medianMillis() {
            int middle = sortedNanos.length / 2;
            long median =
                    sortedNanos.length % 2 == 1
                            ? sortedNanos[middle]
                            : (sortedNanos[middle - 1] + sortedNanos[middle]) / 2;
            return median / 1e6;
        }

        double minMillis() {
            return sortedNanos[0] / 1e6;
        }

        double maxMillis() {
            return sortedNanos[sortedNanos.length - 1] / 1e6;
        }
    }
}
