package io.github.emailtracking.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What one benchmark run does, read from system properties ({@code -Dbenchmark.connections=256})
 * with defaults that suit a two-core machine. Every problem is reported at once.
 *
 * @param rounds how many times each target of the open route is measured, the targets taking turns,
 *     so that the machine's drift reaches them alike
 * @param warmUp how long wrk loads a target before each measured run
 * @param duration how long each measured run of a target lasts
 * @param wrkThreads wrk's threads ({@code benchmark.wrk.threads})
 * @param connections wrk's open connections, each with one request at a time ({@code
 *     benchmark.connections})
 * @param trackingIds how many emails each target has registered
 * @param postgresUrl the PostgreSQL server, where the run makes and drops a database of its own
 *     ({@code benchmark.postgres.url} or the environment variable {@code BENCHMARK_POSTGRES_URL})
 * @param reportEmails the emails of the report's campaign
 * @param reportOpens the opens seeded into it
 * @param reportClicks the clicks seeded into it
 * @param seedThreads how many threads seed it at once
 * @param reportWarmUps the untimed reports before the timed ones
 * @param reportRuns the timed reports
 * @param maxUnfoldedOpens the JDBC stores' bound on opens in the journal ({@code
 *     benchmark.max.unfolded.opens}), the store's default unless set
 */
record BenchmarkSettings(
        int rounds,
        Duration warmUp,
        Duration duration,
        int wrkThreads,
        int connections,
        int trackingIds,
        String postgresUrl,
        int reportEmails,
        int reportOpens,
        int reportClicks,
        int seedThreads,
        int reportWarmUps,
        int reportRuns,
        int maxUnfoldedOpens) {

    static final String DEFAULT_POSTGRES_URL =
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    /**
     * Reads the settings.
     *
     * @throws IllegalArgumentException naming every setting that is not a positive number
     */
    static BenchmarkSettings from(Properties properties, Map<String, String> env) {
        Reader read = new Reader(properties);
        BenchmarkSettings settings =
                new BenchmarkSettings(
                        read.positive("rounds", 3),
                        Duration.ofSeconds(read.positive("warmup.seconds", 2)),
                        Duration.ofSeconds(read.positive("duration.seconds", 6)),
                        read.positive("wrk.threads", 2),
                        read.positive("connections", 256),
                        read.positive("tracking.ids", 1_000),
                        properties.getProperty(
                                "benchmark.postgres.url",
                                env.getOrDefault("BENCHMARK_POSTGRES_URL", DEFAULT_POSTGRES_URL)),
                        read.positive("report.emails", 100_000),
                        read.positive("report.opens", 1_000_000),
                        read.positive("report.clicks", 300_000),
                        read.positive("seed.threads", 128),
                        read.positive("report.warmups", 5),
                        read.positive("report.runs", 50),
                        read.positive("max.unfolded.opens", 100_000));
        if (!read.problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", read.problems));
        }
        return settings;
    }

    /** Reads {@code benchmark.*} numbers, collecting the bad ones. */
    private static final class Reader {

        private final Properties properties;
        private final List<String> problems = new ArrayList<>();

        Reader(Properties properties) {
            this.properties = properties;
        }

        int positive(String name, int absent) {
            String key = "benchmark." + name;
            String value = properties.getProperty(key);
            if (value == null) {
                return absent;
            }
            try {
                int number = Integer.parseInt(value.strip());
                if (number > 0) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // Reported below.
            }
            problems.add(key + " must be a positive whole number, not \"" + value + "\"");
            return absent;
        }
    }
}
