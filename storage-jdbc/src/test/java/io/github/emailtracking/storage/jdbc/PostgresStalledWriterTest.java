package io.github.emailtracking.storage.jdbc;

import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.SENT;
import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.campaign;
import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.email;
import static io.github.emailtracking.storage.jdbc.JdbcStoreBehaviour.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.Page;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Two stores on one PostgreSQL database, one of whose writers stalls in the middle of a
 * transaction, as a process does in a long pause of its collector or on a frozen machine.
 */
class PostgresStalledWriterTest {

    @RegisterExtension static final PostgresTestDatabases DATABASES = new PostgresTestDatabases();

    private static final Duration BUSY_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration STALL = Duration.ofSeconds(6);

    @Test
    void writerStalledHoldingRows_holdsUpAnotherStoreOnlyUntilTheServerEndsItsSession()
            throws Exception {
        String url = DATABASES.create();
        StalledCommits stalls = new StalledCommits(url);
        try (JdbcTrackingStore other =
                        JdbcTrackingStore.builder()
                                .jdbcUrl(url)
                                .busyTimeout(BUSY_TIMEOUT)
                                .writeTimeout(Duration.ofSeconds(5))
                                .build();
                JdbcTrackingStore stalled =
                        JdbcTrackingStore.builder()
                                .dataSource(stalls.dataSource())
                                .busyTimeout(BUSY_TIMEOUT)
                                .writeTimeout(Duration.ofSeconds(30))
                                .build()) {
            other.saveCampaign(campaign("c1"));
            other.saveEmail(email(id("t1"), "c1"), Set.of());

            stalls.stallTheNextCampaignUpdate();
            CompletableFuture<Boolean> stalledClick =
                    stalled.recordAsync(click()).toCompletableFuture();
            stalls.awaitStall();
            boolean otherClick = other.record(click());

            assertThat(otherClick).isTrue();
            assertThat(stalledClick.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(other.status(id("t1"), Page.NEWEST).orElseThrow().counters().clickCount())
                    .isEqualTo(2);
        }
    }

    @Test
    void ownWriterConnection_idleInATransactionPastTheLimit_isEndedByTheServer_asUnreachable()
            throws Exception {
        Database database = Database.open(DATABASES.create(), 1, BUSY_TIMEOUT, true);
        try (Connection connection = database.writeConnection();
                Statement statement = connection.createStatement()) {
            database.beginWrite(connection);
            statement.execute("SELECT 1");

            Thread.sleep(Dialect.MIN_IDLE_WRITE.toMillis() + 500);

            assertThatThrownBy(() -> statement.execute("SELECT 1"))
                    .isInstanceOfSatisfying(
                            SQLException.class,
                            ended ->
                                    assertThat(Dialect.POSTGRESQL.classify(ended))
                                            .isEqualTo(FailureKind.UNREACHABLE));
        } finally {
            database.close();
        }
    }

    private static ClickEvent click() {
        return new ClickEvent(
                id("t1"), SENT.plusSeconds(60), "https://example.com/a", null, "Mail");
    }

    /**
     * Connections to a real database, one of which, once told, stalls for {@link #STALL} before it
     * commits a transaction that updated a campaign's totals, holding that row's lock meanwhile.
     */
    private static final class StalledCommits {

        private final PGSimpleDataSource server = new PGSimpleDataSource();
        private final AtomicBoolean armed = new AtomicBoolean();
        private final CountDownLatch stalling = new CountDownLatch(1);

        StalledCommits(String url) {
            server.setUrl(url);
        }

        void stallTheNextCampaignUpdate() {
            armed.set(true);
        }

        void awaitStall() throws InterruptedException {
            assertThat(stalling.await(30, TimeUnit.SECONDS)).as("the writer stalled").isTrue();
        }

        DataSource dataSource() {
            return Proxies.proxy(
                    DataSource.class,
                    (proxy, method, args) -> {
                        Object result = Proxies.invoke(method, server, args);
                        return method.getName().equals("getConnection")
                                ? connection((Connection) result)
                                : result;
                    });
        }

        private Connection connection(Connection real) {
            AtomicBoolean updatedTotals = new AtomicBoolean();
            return Proxies.proxy(
                    Connection.class,
                    (proxy, method, args) -> {
                        String name = method.getName();
                        if (name.equals("prepareStatement")
                                && args[0] instanceof String sql
                                && sql.contains("UPDATE et_campaign_totals")) {
                            updatedTotals.set(true);
                        }
                        if (name.equals("commit")
                                && updatedTotals.getAndSet(false)
                                && armed.getAndSet(false)) {
                            stalling.countDown();
                            Thread.sleep(STALL.toMillis());
                        }
                        return Proxies.invoke(method, real, args);
                    });
        }
    }
}
