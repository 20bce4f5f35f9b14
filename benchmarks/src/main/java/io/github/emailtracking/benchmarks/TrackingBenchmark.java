package io.github.emailtracking.benchmarks;

import io.github.emailtracking.benchmarks.ReportBenchmark.ReportTiming;
import io.github.emailtracking.storage.jdbc.JdbcTrackingStore;
import io.github.emailtracking.storage.memory.MemoryTrackingStore;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Measures, in one run, the open route's requests per second on each store against a bare servlet
 * in the same container, and the median time of a large campaign's report on SQLite and PostgreSQL.
 * Build and run it from the project's root with:
 *
 * <pre>{@code
 * mvn -q -DskipTests -pl benchmarks -am package \
 *     && java -jar benchmarks/target/email-tracking-benchmarks.jar
 * }</pre>
 *
 * <p>It needs wrk ({@code apt-get install -y wrk}) and a PostgreSQL server where it may create and
 * drop databases; settings are system properties, listed in {@link BenchmarkSettings}. It checks
 * nothing against targets: it prints the figures and the targets side by side.
 */
public final class TrackingBenchmark {

    private static final String POSTGRES_PROBLEM =
            "PostgreSQL is needed at %s: start it, or point -Dbenchmark.postgres.url (or"
                    + " BENCHMARK_POSTGRES_URL) at a server where this user may create databases."
                    + " The driver said: %s%n";

    /** The least share of the bare servlet's rate each store should reach. */
    private static final Map<String, Double> RATIO_TARGETS =
            Map.of("memory", 0.9, "sqlite", 0.7, "postgres", 0.5);

    /** How many warm-up periods each target is loaded for before the first measured run. */
    private static final int SERVER_WARM_UPS = 4;

    private static final List<String> REPORT_DATABASES = List.of("sqlite", "postgres");
    private static final int REPORT_TARGET_MILLIS = 50;

    private final BenchmarkSettings settings;
    private final PrintStream out;

    private TrackingBenchmark(BenchmarkSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Runs every measurement and prints the figures; exits with 2 when something is missing. */
    public static void main(String[] args) throws Exception {
        BenchmarkSettings settings;
        try {
            settings = BenchmarkSettings.from(System.getProperties(), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Optional<String> wrkMissing = Wrk.unavailable();
        if (wrkMissing.isPresent()) {
            System.err.println(wrkMissing.get());
            System.exit(2);
            return;
        }
        new TrackingBenchmark(settings, System.out).run();
    }

    private void run() throws Exception {
        Path folder = Files.createTempDirectory("email-tracking-benchmark");
        try {
            printIntroduction();
            List<OpenRun> runs = measureOpenRoute(folder);
            printOpenTable(runs);
            List<ReportTiming> reports = measureReports(folder);
            printTargets(runs, reports);
        } catch (java.sql.SQLException e) {
            System.err.printf(POSTGRES_PROBLEM, withoutQuery(settings.postgresUrl()), e);
            System.exit(2);
        } finally {
            deleteQuietly(folder);
        }
    }

    private void printIntroduction() {
        out.println("email-tracking benchmark");
        out.printf(
                "  Java %s, %d cores, %s%n",
                Runtime.version(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"));
        out.println(
                "  Note: wrk runs on this machine and competes with the server for its cores, and"
                        + " the machine is");
        out.println(
                "  noisy: compare the ratios, which are measured in the same run, more than the"
                        + " absolute figures.");
        out.println();
    }

    private List<OpenRun> measureOpenRoute(Path folder) throws Exception {
        int ids = settings.trackingIds();
        out.printf("Open route: GET /open/{id} over %,d registered tracking ids per target%n", ids);
        out.printf(
                "  wrk: %d threads, %d connections, %d s warm-up then %d s measured per run,"
                        + " over loopback%n",
                settings.wrkThreads(),
                settings.connections(),
                settings.warmUp().toSeconds(),
                settings.duration().toSeconds());
        out.println(
                "  why: one wrk thread per core; each connection keeps one request in flight, and a"
                        + " durable store answers");
        out.println(
                "  a request only once its open is committed, so the connections are the"
                        + " concurrent writers that group");
        out.println(
                "  commit can batch: a pixel server is hit by many mail clients at once, not by a"
                        + " few fast ones.");

        try (PostgresDatabase database = PostgresDatabase.create(settings.postgresUrl());
                OpenTarget memory =
                        OpenTarget.tracked(
                                "memory", "memory store", new MemoryTrackingStore(), ids);
                OpenTarget sqlite =
                        OpenTarget.tracked(
                                "sqlite",
                                "SQLite, WAL + synchronous=FULL (the store's default)",
                                JdbcTrackingStore.builder()
                                        .jdbcUrl("jdbc:sqlite:" + folder.resolve("open.db"))
                                        .maxUnfoldedOpens(settings.maxUnfoldedOpens())
                                        .build(),
                                ids);
                OpenTarget postgres =
                        OpenTarget.tracked(
                                "postgres",
                                "PostgreSQL, a database of its own beside "
                                        + withoutQuery(settings.postgresUrl()),
                                JdbcTrackingStore.builder()
                                        .jdbcUrl(database.url())
                                        .maxUnfoldedOpens(settings.maxUnfoldedOpens())
                                        .build(),
                                ids)) {
            OpenTarget bare = OpenTarget.bare("bare", memory.trackingIds());
            try (PixelServer server = PixelServer.start(List.of(bare, memory, sqlite, postgres))) {
                out.printf(
                        "  Jetty: one server, every target mounted in it, at most %d request"
                                + " threads%n",
                        server.maxThreads());
                checkSameAnswer(server, bare, memory);
                List<OpenTarget> targets = List.of(bare, memory, sqlite, postgres);
                out.printf(
                        "  order: %d rounds of %s, then %s once more; each store is compared%n",
                        settings.rounds(),
                        targets.stream().map(OpenTarget::name).collect(Collectors.joining(", ")),
                        bare.name());
                out.println(
                        "  with the bare runs just before and after it, whose gaps show the drift"
                                + " of the machine");
                return measureRounds(server, targets, folder);
            }
        }
    }

    /**
     * Measures every target once per round, in order, and the first of them (the bare servlet) once
     * more after the last round, so that every store's run lies between two of its runs.
     */
    private List<OpenRun> measureRounds(PixelServer server, List<OpenTarget> targets, Path folder)
            throws IOException {
        List<OpenRun> runs = new ArrayList<>();
        Map<OpenTarget, Long> answered = new HashMap<>();
        warmUpServer(server, targets, folder, answered);
        for (int round = 1; round <= settings.rounds(); round++) {
            for (OpenTarget target : targets) {
                runs.add(measure(server, target, folder, round, answered));
            }
        }
        runs.add(measure(server, targets.get(0), folder, settings.rounds() + 1, answered));
        return runs;
    }

    /** Fails unless the bare servlet and the open route give the same status, headers and body. */
    private void checkSameAnswer(PixelServer server, OpenTarget bare, OpenTarget tracked)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        String id = tracked.trackingIds().get(0);
        HttpResponse<byte[]> bareAnswer = get(http, server, bare, id);
        HttpResponse<byte[]> trackedAnswer = get(http, server, tracked, id);
        boolean same =
                bareAnswer.statusCode() == trackedAnswer.statusCode()
                        && Arrays.equals(bareAnswer.body(), trackedAnswer.body())
                        && headers(bareAnswer.headers()).equals(headers(trackedAnswer.headers()));
        if (!same) {
            throw new IllegalStateException(
                    "the bare servlet must answer like the open route, but it sent "
                            + headers(bareAnswer.headers())
                            + " and the open route "
                            + headers(trackedAnswer.headers()));
        }
        out.printf(
                "  checked: bare and open route both answer %d with the same %d bytes and headers"
                        + " %s%n",
                bareAnswer.statusCode(),
                bareAnswer.body().length,
                headers(bareAnswer.headers()).keySet());
    }

    private static HttpResponse<byte[]> get(
            HttpClient http, PixelServer server, OpenTarget target, String id)
            throws IOException, InterruptedException {
        URI uri = URI.create(server.rootUrl() + PixelServer.openPath(target) + id);
        return http.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofByteArray());
    }

    /** Returns the headers but the date, which differs from one answer to the next. */
    private static Map<String, List<String>> headers(HttpHeaders headers) {
        Map<String, List<String>> kept = new TreeMap<>(headers.map());
        kept.remove("date");
        return kept;
    }

    /**
     * Loads every target in turn, untimed, so that Jetty's code and each route's are compiled
     * before the first run; otherwise the first round measures the JIT as much as the server, and
     * the later targets in it more than the earlier ones.
     *
     * @param answered where the requests each target answered are counted, as its store keeps their
     *     opens
     */
    private void warmUpServer(
            PixelServer server,
            List<OpenTarget> targets,
            Path folder,
            Map<OpenTarget, Long> answered)
            throws IOException {
        Duration warmUp = settings.warmUp().multipliedBy(SERVER_WARM_UPS);
        Wrk wrk = new Wrk(settings.wrkThreads(), settings.connections());
        for (OpenTarget target : targets) {
            Path script =
                    Wrk.script(
                            folder,
                            target.name(),
                            PixelServer.openPath(target),
                            target.trackingIds());
            WrkResult result = wrk.run(server.rootUrl() + "/", script, warmUp);
            answered.merge(target, result.requests(), Long::sum);
        }
        out.printf(
                "  server warm-up: each target in turn for %d s, not counted%n%n",
                warmUp.toSeconds());
    }

    /**
     * Loads a target for a warm-up, then for the measured run.
     *
     * @param answered the requests answered so far per target, over every run: a store holds the
     *     opens of all of them
     */
    private OpenRun measure(
            PixelServer server,
            OpenTarget target,
            Path folder,
            int round,
            Map<OpenTarget, Long> answered)
            throws IOException {
        Wrk wrk = new Wrk(settings.wrkThreads(), settings.connections());
        Path script =
                Wrk.script(
                        folder, target.name(), PixelServer.openPath(target), target.trackingIds());
        String url = server.rootUrl() + "/";
        WrkResult warmUp = wrk.run(url, script, settings.warmUp());
        OptionalLong cpuBefore = ProcessCpu.nanos();
        WrkResult measured = wrk.run(url, script, settings.duration());
        OptionalLong cpuAfter = ProcessCpu.nanos();
        long answeredSoFar =
                answered.merge(target, warmUp.requests() + measured.requests(), Long::sum);
        long readStart = System.nanoTime();
        OptionalLong stored = target.storedOpens();
        Duration firstRead = Duration.ofNanos(System.nanoTime() - readStart);
        OpenRun run =
                new OpenRun(
                        round,
                        target,
                        measured,
                        answeredSoFar,
                        stored,
                        firstRead,
                        cpuMicrosPerRequest(cpuBefore, cpuAfter, measured.requests()));
        out.printf(
                "  round %d  %-8s %,10.0f requests/s  (%s)%n",
                round, target.name(), measured.requestsPerSecond(), target.description());
        return run;
    }

    private static OptionalDouble cpuMicrosPerRequest(
            OptionalLong before, OptionalLong after, long requests) {
        if (before.isEmpty() || after.isEmpty() || requests == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((after.getAsLong() - before.getAsLong()) / 1_000.0 / requests);
    }

    private void printOpenTable(List<OpenRun> runs) {
        List<Double> bareRates = runsOf(runs, bare(runs)).stream().map(OpenRun::rate).toList();
        double spread =
                (Collections.max(bareRates) - Collections.min(bareRates)) / median(bareRates);
        out.println();
        out.printf(
                "  bare servlet: %s requests/s (they differ by up to %.1f%%: the noise of this"
                        + " machine)%n",
                bareRates.stream()
                        .map(rate -> String.format("%,.0f", rate))
                        .collect(Collectors.joining(", ")),
                100 * spread);
        out.println();
        out.println(
                "  round  target     requests/s  ratio to bare  CPU/request  latency p50"
                        + "  latency p99  errors  stored opens / answered  first report after");
        for (OpenRun run : runs) {
            printRun(runs, run);
        }
        out.println(
                "  (ratio to bare: to the mean of the bare runs just before and just after the"
                        + " store's run)");
        out.println(
                "  (CPU/request: the server's process, every thread, over the measured run;"
                        + " wrk's and PostgreSQL's own");
        out.println("  processes are not in it)");
        out.println(
                "  (answered counts every run of the target and its warm-ups; a store may hold a"
                        + " few more opens than");
        out.println("  were answered: those in flight when wrk stopped)");
        out.printf(
                "  (the first report after a run folds the opens the JDBC store's journal still"
                        + " holds; it may hold %,d)%n",
                settings.maxUnfoldedOpens());
        out.println();
        printMedians(runs);
    }

    private void printRun(List<OpenRun> runs, OpenRun run) {
        WrkResult result = run.result();
        boolean bare = run.target() == bare(runs);
        out.printf(
                "  %5d  %-8s %,12.0f  %13s  %11s  %11s  %11s  %6d  %-25s %s%n",
                run.round(),
                run.target().name(),
                run.rate(),
                bare ? "-" : String.format("%.2f", ratio(runs, run)),
                run.cpuDescription(),
                result.p50(),
                result.p99(),
                result.non2xx() + result.socketErrors(),
                run.storedDescription(),
                run.stored().isEmpty() ? "-" : run.firstRead().toMillis() + " ms");
    }

    private void printMedians(List<OpenRun> runs) {
        out.printf(
                "  over the %d rounds   median ratio  (lowest, highest)  median CPU/request%n",
                settings.rounds());
        for (OpenTarget store : stores(runs)) {
            List<Double> ratios = ratios(runs, store);
            List<Double> cpu =
                    runsOf(runs, store).stream()
                            .map(OpenRun::cpuMicros)
                            .filter(OptionalDouble::isPresent)
                            .map(OptionalDouble::getAsDouble)
                            .toList();
            out.printf(
                    "  %-19s %12.2f  (%.2f, %.2f)  %18s%n",
                    store.name(),
                    median(ratios),
                    Collections.min(ratios),
                    Collections.max(ratios),
                    cpu.isEmpty() ? "-" : String.format("%.1f us", median(cpu)));
        }
        out.println();
    }

    private List<ReportTiming> measureReports(Path folder) throws Exception {
        out.printf(
                "Campaign report: %,d emails, %,d opens, %,d clicks, seeded through the store's"
                        + " write path;%n",
                settings.reportEmails(), settings.reportOpens(), settings.reportClicks());
        out.printf(
                "  then EmailTracker.campaignReport %d times untimed, %d times timed%n",
                settings.reportWarmUps(), settings.reportRuns());
        ReportBenchmark benchmark = new ReportBenchmark(settings, out);
        List<ReportTiming> timings = new ArrayList<>();
        timings.add(benchmark.run("sqlite", "jdbc:sqlite:" + folder.resolve("report.db")));
        try (PostgresDatabase database = PostgresDatabase.create(settings.postgresUrl())) {
            timings.add(benchmark.run("postgres", database.url()));
        }
        for (int i = 0; i < timings.size(); i++) {
            out.println(timingLine(REPORT_DATABASES.get(i), timings.get(i)));
        }
        out.println();
        return timings;
    }

    private static String timingLine(String label, ReportTiming timing) {
        return String.format(
                "  %-8s report median %.2f ms (fastest %.2f ms, slowest %.2f ms)",
                label, timing.medianMillis(), timing.minMillis(), timing.maxMillis());
    }

    private void printTargets(List<OpenRun> runs, List<ReportTiming> reports) {
        out.println("Targets (reported, never asserted):");
        for (OpenTarget store : stores(runs)) {
            double ratio = median(ratios(runs, store));
            double target = RATIO_TARGETS.get(store.name());
            out.printf(
                    "  %-8s %.2f of bare (median of %d rounds), target >= %.1f: %s%n",
                    store.name(),
                    ratio,
                    settings.rounds(),
                    target,
                    ratio >= target ? "met" : "missed");
        }
        for (int i = 0; i < reports.size(); i++) {
            double median = reports.get(i).medianMillis();
            out.printf(
                    "  %-8s report median %.2f ms, target < %d ms: %s%n",
                    REPORT_DATABASES.get(i),
                    median,
                    REPORT_TARGET_MILLIS,
                    median < REPORT_TARGET_MILLIS ? "met" : "missed");
        }
    }

    /** Returns the baseline target, which runs first. */
    private static OpenTarget bare(List<OpenRun> runs) {
        return runs.get(0).target();
    }

    /** Returns the targets measured against the baseline, in the order they ran. */
    private static List<OpenTarget> stores(List<OpenRun> runs) {
        return runs.stream().map(OpenRun::target).distinct().skip(1).toList();
    }

    private static List<OpenRun> runsOf(List<OpenRun> runs, OpenTarget target) {
        return runs.stream().filter(run -> run.target() == target).toList();
    }

    private static List<Double> ratios(List<OpenRun> runs, OpenTarget store) {
        return runsOf(runs, store).stream().map(run -> ratio(runs, run)).toList();
    }

    /**
     * Returns a store's rate in one run over the mean of the bare servlet's rates in the same
     * round, which ran just before it, and in the next, which ran just after.
     */
    private static double ratio(List<OpenRun> runs, OpenRun run) {
        List<OpenRun> bare = runsOf(runs, bare(runs));
        double before = bare.get(run.round() - 1).rate();
        double after = bare.get(run.round()).rate();
        return run.rate() / ((before + after) / 2);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1
                ? sorted.get(middle)
                : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static String withoutQuery(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not delete " + folder + ": " + e.getMessage());
        }
    }

    /**
     * One target's measured run.
     *
     * @param round the round it ran in, from 1; the bare servlet's last run is in one round more
     * @param answered the requests wrk had answered for the target so far, over its warm-ups and
     *     measured runs
     * @param stored the opens the store held afterwards, or empty for the bare servlet
     * @param firstRead how long the first report after the run took: on a JDBC store it folds the
     *     opens still in the journal first
     * @param cpuMicros the server process's CPU time per answered request of the measured run, in
     *     microseconds, or empty where the JVM does not tell its CPU time
     */
    private record OpenRun(
            int round,
            OpenTarget target,
            WrkResult result,
            long answered,
            OptionalLong stored,
            Duration firstRead,
            OptionalDouble cpuMicros) {

        double rate() {
            return result.requestsPerSecond();
        }

        String cpuDescription() {
            return cpuMicros.isEmpty() ? "-" : String.format("%.1f us", cpuMicros.getAsDouble());
        }

        String storedDescription() {
            if (stored.isEmpty()) {
                return "-";
            }
            String verdict = stored.getAsLong() >= answered ? "" : "  FEWER THAN ANSWERED";
            return String.format("%,d / %,d%s", stored.getAsLong(), answered, verdict);
        }
    }
}
