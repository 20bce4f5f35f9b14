package io.github.emailtracking.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.CampaignId;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.TrackedEmail;
import io.github.emailtracking.api.TrackingId;
import io.github.emailtracking.storage.jdbc.JdbcTrackingStore;
import io.github.emailtracking.storage.jdbc.PostgresTestDatabases;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the standalone server with SIGKILL while clients stream opens at it, then reads what it
 * left in the database: every open that was answered 200 is stored, and no more opens are stored
 * than were sent.
 *
 * <p>The server runs in a child JVM on the test's own classpath, configured only by the
 * environment, as a person would run it. The emails are registered through a store of the test's
 * own, closed before the child starts, rather than through the sender routes: the child's only work
 * is then the open route under test, and nothing but opens can be in flight when it dies.
 *
 * <p>Note: SIGKILL proves the commit path, not fsync. The kernel's page cache survives a killed
 * process, so a commit that was written but never synced would still be found; only a power cut
 * tests the sync, and the store's {@code synchronous=FULL} is what is relied on there.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CrashTest {

    private static final String SECRET = "a secret for the crash test that is 32+ bytes long";
    private static final Pattern PORT_LINE =
            Pattern.compile("Email tracking server on port (\\d+)");
    private static final int EMAILS = 5;
    private static final int CLIENTS = 8;
    private static final int OPENS_BEFORE_KILL = 3_000;

    /** What {@link Process#exitValue} is for a process that SIGKILL (9) ended. */
    private static final int KILLED_BY_SIGKILL = 128 + 9;

    @TempDir Path dir;

    @Test
    void sigkill_onSqlite_losesNoAcknowledgedOpen() throws Exception {
        Path db = dir.resolve("tracking.db");

        killMidStreamAndCheck("jdbc:sqlite:" + db, db.toString());
    }

    @Test
    void sigkill_onPostgres_losesNoAcknowledgedOpen() throws Exception {
        try (PostgresTestDatabases databases = new PostgresTestDatabases()) {
            String url = databases.create();

            killMidStreamAndCheck(url, url);
        }
    }

    /**
     * Registers the emails, starts the server on the database, streams opens until enough were
     * acknowledged, kills it, and compares what the database holds with what clients were told.
     *
     * @param jdbcUrl the database, for the test's own store
     * @param trackingDb the same database as the server's {@code TRACKING_DB} names it
     */
    private void killMidStreamAndCheck(String jdbcUrl, String trackingDb) throws Exception {
        List<TrackingId> ids = registerEmails(jdbcUrl);
        Process server = startServer(trackingDb);
        int port = awaitPort(server);

        OpenTally tally = new OpenTally(ids.size());
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int client = 0; client < CLIENTS; client++) {
            int first = client;
            clients.execute(() -> streamOpens(port, ids, first, tally));
        }
        boolean enoughAcknowledged = tally.awaitAcknowledged(2, TimeUnit.MINUTES);
        tally.killing();
        server.destroyForcibly();
        server.waitFor();
        clients.shutdown();
        boolean clientsStopped = clients.awaitTermination(1, TimeUnit.MINUTES);

        assertThat(tally.unexpectedFailure()).as("a client failure before the kill").isNull();
        assertThat(enoughAcknowledged).as("opens acknowledged before the kill").isTrue();
        assertThat(server.isAlive()).isFalse();
        assertThat(server.exitValue()).as("exit value of a SIGKILL").isEqualTo(KILLED_BY_SIGKILL);
        assertThat(clientsStopped).isTrue();
        assertThat(tally.totalSent() - tally.totalAcknowledged())
                .as("requests each client had unanswered when the server died")
                .isGreaterThanOrEqualTo(CLIENTS);
        assertStored(jdbcUrl, ids, tally);
    }

    private static List<TrackingId> registerEmails(String jdbcUrl) {
        List<TrackingId> ids = new ArrayList<>();
        try (JdbcTrackingStore store = JdbcTrackingStore.builder().jdbcUrl(jdbcUrl).build()) {
            CampaignId campaign = new CampaignId("crash");
            store.saveCampaign(new Campaign(campaign, "Crash", "alice", null, Instant.now()));
            for (int i = 0; i < EMAILS; i++) {
                TrackingId id = new TrackingId("crash-" + i);
                store.saveEmail(
                        new TrackedEmail(
                                id,
                                campaign,
                                i + "@example.com",
                                Instant.now(),
                                "<" + id.value() + "@crash.example>"),
                        Set.of());
                ids.add(id);
            }
        }
        return ids;
    }

    private Process startServer(String trackingDb) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder =
                new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        StandaloneServer.class.getName());
        builder.environment().keySet().removeIf(name -> name.startsWith("TRACKING_"));
        builder.environment().put("TRACKING_PORT", "0");
        builder.environment().put("TRACKING_DB", trackingDb);
        builder.environment().put("TRACKING_JWT_SECRET", SECRET);
        builder.environment().put("TRACKING_PUBLIC_URL", "http://127.0.0.1/api/track");
        builder.redirectError(dir.resolve("server.log").toFile());
        return builder.start();
    }

    /** Reads the server's output until it names its port; the rest is drained unread. */
    private int awaitPort(Process server) throws IOException {
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher port = PORT_LINE.matcher(line);
            if (port.find()) {
                drainInBackground(out);
                return Integer.parseInt(port.group(1));
            }
        }
        throw new AssertionError(
                "the server ended before it printed its port; its log:\n"
                        + Files.readString(dir.resolve("server.log")));
    }

    private static void drainInBackground(BufferedReader out) {
        Thread drain =
                new Thread(
                        () -> {
                            try {
                                out.transferTo(Writer.nullWriter());
                            } catch (IOException e) {
                                // The server died: there is nothing more to read.
                            }
                        },
                        "server-output");
        drain.setDaemon(true);
        drain.start();
    }

    /** Fetches pixels of the emails in turn, counting each request and each 200, until it fails. */
    private static void streamOpens(int port, List<TrackingId> ids, int first, OpenTally tally) {
        try (PixelClient pixels = new PixelClient(port)) {
            for (int n = first; ; n++) {
                int email = n % ids.size();
                tally.sent(email);
                if (pixels.get(StandaloneServer.MOUNT + "/open/" + ids.get(email)) == 200) {
                    tally.acknowledged(email);
                }
            }
        } catch (IOException | RuntimeException e) {
            tally.failed(e);
        }
    }

    private static void assertStored(String jdbcUrl, List<TrackingId> ids, OpenTally tally)
            throws SQLException {
        try (JdbcTrackingStore store = JdbcTrackingStore.builder().jdbcUrl(jdbcUrl).build();
                Connection connection = DriverManager.getConnection(jdbcUrl)) {
            for (int email = 0; email < ids.size(); email++) {
                TrackingId id = ids.get(email);
                long stored = store.status(id, Page.NEWEST).orElseThrow().counters().openCount();

                assertThat(stored)
                        .as("stored opens of %s", id)
                        .isGreaterThanOrEqualTo(tally.acknowledged.get(email))
                        .isLessThanOrEqualTo(tally.sent.get(email));
                assertThat(openRows(connection, id))
                        .as("open rows of %s, beside its counter", id)
                        .isEqualTo(stored);
            }
        }
    }

    private static long openRows(Connection connection, TrackingId id) throws SQLException {
        try (PreparedStatement count =
                connection.prepareStatement("SELECT count(*) FROM et_open WHERE tracking_id = ?")) {
            count.setString(1, id.value());
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** Per email, the requests sent and the 200s received; shared by the client threads. */
    private static final class OpenTally {

        final AtomicLongArray sent;
        final AtomicLongArray acknowledged;
        private final CountDownLatch enough = new CountDownLatch(OPENS_BEFORE_KILL);
        private final AtomicReference<Exception> unexpected = new AtomicReference<>();
        private volatile boolean killing;

        OpenTally(int emails) {
            this.sent = new AtomicLongArray(emails);
            this.acknowledged = new AtomicLongArray(emails);
        }

        void sent(int email) {
            sent.incrementAndGet(email);
        }

        void acknowledged(int email) {
            acknowledged.incrementAndGet(email);
            enough.countDown();
        }

        /** Marks the moment after which a failing connection is what the test expects. */
        void killing() {
            killing = true;
        }

        void failed(Exception failure) {
            if (!killing) {
                unexpected.compareAndSet(null, failure);
                // Nobody else would wake the test, which waits for a count this client can no
                // longer add to.
                while (enough.getCount() > 0) {
                    enough.countDown();
                }
            }
        }

        boolean awaitAcknowledged(long timeout, TimeUnit unit) throws InterruptedException {
            return enough.await(timeout, unit);
        }

        Exception unexpectedFailure() {
            return unexpected.get();
        }

        long totalSent() {
            return total(sent);
        }

        long totalAcknowledged() {
            return total(acknowledged);
        }

        private static long total(AtomicLongArray counts) {
            long total = 0;
            for (int i = 0; i < counts.length(); i++) {
                total += counts.get(i);
            }
            return total;
        }
    }
}
