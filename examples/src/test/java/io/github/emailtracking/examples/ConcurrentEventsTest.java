package io.github.emailtracking.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.Viewer;
import io.github.emailtracking.core.EmailTracker;
import io.github.emailtracking.core.NewEmail;
import io.github.emailtracking.core.RegisteredEmail;
import io.github.emailtracking.servlet.Tokens;
import io.github.emailtracking.servlet.TrackingServlet;
import io.github.emailtracking.servlet.TrackingTestServer;
import io.github.emailtracking.storage.jdbc.JdbcTrackingStore;
import io.github.emailtracking.storage.jdbc.PostgresTestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients at once send opens, clicks and replies, half of them to one email and the rest
 * spread over the others, through a real server on a JDBC store. Afterwards each email's status and
 * the campaign report count exactly the requests that were acknowledged: no event lost, none
 * counted twice, however the writes were grouped into transactions.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ConcurrentEventsTest {

    private static final String OWNER = "alice";
    private static final String PLACEHOLDER_BASE = "http://127.0.0.1:1/api/track";
    private static final List<String> LINKS =
            List.of("https://example.com/product", "https://example.com/pricing?plan=team");
    private static final int EMAILS = 4;
    private static final int CLIENTS = 32;
    private static final int REQUESTS_PER_CLIENT = 90;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void manyClients_onSqlite_countEveryAcknowledgedEventOnce() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("tracking.db");

        sendConcurrentlyAndCheck(url);
    }

    @Test
    void manyClients_onPostgres_countEveryAcknowledgedEventOnce() throws Exception {
        try (PostgresTestDatabases databases = new PostgresTestDatabases()) {
            String url = databases.create();

            sendConcurrentlyAndCheck(url);
        }
    }

    private void sendConcurrentlyAndCheck(String jdbcUrl) throws Exception {
        try (JdbcTrackingStore store = JdbcTrackingStore.builder().jdbcUrl(jdbcUrl).build()) {
            EmailTracker tracker =
                    EmailTracker.builder().store(store).publicBaseUrl(PLACEHOLDER_BASE).build();
            TrackingServlet servlet =
                    TrackingServlet.builder().tracker(tracker).hmacSecret(Tokens.SECRET).build();
            try (TrackingTestServer server = TrackingTestServer.start(servlet)) {
                Campaign campaign = tracker.createCampaign(OWNER, "Concurrency");
                List<RegisteredEmail> emails = register(tracker, campaign, server);

                Acknowledged acknowledged = sendFromManyClients(emails);

                assertThat(tracker.droppedEventCount()).as("events the store dropped").isZero();
                assertThat(acknowledged.refused).as("requests not acknowledged").isEmpty();
                for (RegisteredEmail email : emails) {
                    assertStatus(server, email, acknowledged);
                }
                assertReport(server, campaign, emails, acknowledged);
            }
        }
    }

    private static List<RegisteredEmail> register(
            EmailTracker tracker, Campaign campaign, TrackingTestServer server) {
        List<RegisteredEmail> emails = new ArrayList<>();
        for (int i = 0; i < EMAILS; i++) {
            RegisteredEmail registered =
                    tracker.registerEmail(
                            Viewer.owner(OWNER),
                            campaign.id().value(),
                            NewEmail.to("customer" + i + "@example.com", LINKS));
            emails.add(local(registered, server));
        }
        return emails;
    }

    /** Points the email's URLs at the test server, which got its port after the tracker. */
    private static RegisteredEmail local(RegisteredEmail email, TrackingTestServer server) {
        Map<String, String> clickUrls = new HashMap<>();
        email.clickUrls()
                .forEach(
                        (link, url) ->
                                clickUrls.put(
                                        link, url.replace(PLACEHOLDER_BASE, server.baseUrl())));
        return new RegisteredEmail(
                email.trackingId(),
                email.messageId(),
                email.openUrl().replace(PLACEHOLDER_BASE, server.baseUrl()),
                clickUrls,
                email.html(),
                email.unsubscribeUrl().replace(PLACEHOLDER_BASE, server.baseUrl()));
    }

    private Acknowledged sendFromManyClients(List<RegisteredEmail> emails) throws Exception {
        Acknowledged acknowledged = new Acknowledged();
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Void>> clients = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
            Random random = new Random(client);
            clients.add(
                    () -> {
                        start.await();
                        for (int n = 0; n < REQUESTS_PER_CLIENT; n++) {
                            // Half of all requests go to one email, so that its row is fought over.
                            int email = random.nextBoolean() ? 0 : random.nextInt(EMAILS);
                            send(emails.get(email), n % 3, random, acknowledged);
                        }
                        return null;
                    });
        }
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<Void>> running = clients.stream().map(pool::submit).toList();
            start.countDown();
            for (Future<Void> client : running) {
                client.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return acknowledged;
    }

    /** Sends one open (kind 0), click (1) or reply (2) and counts it when acknowledged. */
    private void send(RegisteredEmail email, int kind, Random random, Acknowledged acknowledged)
            throws Exception {
        String id = email.trackingId().value();
        if (kind == 0) {
            int status = status(HttpRequest.newBuilder(URI.create(email.openUrl())).GET());
            acknowledged.count(status == 200, "open " + id);
        } else if (kind == 1) {
            String link = LINKS.get(random.nextInt(LINKS.size()));
            int status =
                    status(HttpRequest.newBuilder(URI.create(email.clickUrls().get(link))).GET());
            acknowledged.count(status == 302, "click " + id, "click " + link);
        } else {
            String openUrl = email.openUrl();
            URI reply =
                    URI.create(openUrl.substring(0, openUrl.indexOf("/open/")) + "/reply/" + id);
            String body = "{\"replyMessage\":\"Thanks\",\"attachmentCount\":\"0\"}";
            int status =
                    status(
                            HttpRequest.newBuilder(reply)
                                    .header("Content-Type", "application/json")
                                    .POST(BodyPublishers.ofString(body)));
            acknowledged.count(status == 200, "reply " + id);
        }
    }

    private int status(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), BodyHandlers.discarding()).statusCode();
    }

    private void assertStatus(
            TrackingTestServer server, RegisteredEmail email, Acknowledged acknowledged)
            throws Exception {
        String id = email.trackingId().value();

        JsonNode tracking = adminGet(server, "/status/" + id).get("tracking");

        assertThat(tracking.get("openCount").asLong())
                .as("opens of " + id)
                .isEqualTo(acknowledged.of("open " + id));
        assertThat(tracking.get("clickCount").asLong())
                .as("clicks of " + id)
                .isEqualTo(acknowledged.of("click " + id));
        assertThat(tracking.get("replied").asBoolean())
                .as("replied, for " + id)
                .isEqualTo(acknowledged.of("reply " + id) > 0);
    }

    private void assertReport(
            TrackingTestServer server,
            Campaign campaign,
            List<RegisteredEmail> emails,
            Acknowledged acknowledged)
            throws Exception {
        long[] timeline = new long[3];
        long opened = 0;
        long clicked = 0;
        long replied = 0;
        for (RegisteredEmail email : emails) {
            String id = email.trackingId().value();
            timeline[0] += acknowledged.of("open " + id);
            timeline[1] += acknowledged.of("click " + id);
            timeline[2] += acknowledged.of("reply " + id);
            opened += acknowledged.of("open " + id) > 0 ? 1 : 0;
            clicked += acknowledged.of("click " + id) > 0 ? 1 : 0;
            replied += acknowledged.of("reply " + id) > 0 ? 1 : 0;
        }

        JsonNode report = adminGet(server, "/campaign/" + campaign.id().value());

        JsonNode totals = report.get("campaign");
        assertThat(totals.get("sentCount").asLong()).isEqualTo(EMAILS);
        assertThat(totals.get("openedCount").asLong()).isEqualTo(opened);
        assertThat(totals.get("clickedCount").asLong()).isEqualTo(clicked);
        assertThat(totals.get("repliedCount").asLong()).isEqualTo(replied);
        assertThat(timelineSums(report.get("engagementTimeline")))
                .as("opens, clicks and replies over the timeline")
                .containsExactly(timeline);
        for (JsonNode link : report.get("topLinks")) {
            assertThat(link.get("clicks").asLong())
                    .as("clicks of " + link.get("url").asText())
                    .isEqualTo(acknowledged.of("click " + link.get("url").asText()));
        }
        assertThat(report.get("topLinks")).hasSize(LINKS.size());
    }

    private static long[] timelineSums(JsonNode days) {
        long[] sums = new long[3];
        for (JsonNode day : days) {
            sums[0] += day.get("opens").asLong();
            sums[1] += day.get("clicks").asLong();
            sums[2] += day.get("replies").asLong();
        }
        return sums;
    }

    private JsonNode adminGet(TrackingTestServer server, String route) throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(server.uri(route))
                        .header("Authorization", "Bearer " + Tokens.owner(OWNER))
                        .build();
        String body = http.send(request, BodyHandlers.ofString()).body();
        return json.readTree(body);
    }

    /** Acknowledged requests, counted under names such as "open {id}" or "click {url}". */
    private static final class Acknowledged {

        final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
        final List<String> refused = Collections.synchronizedList(new ArrayList<>());

        void count(boolean acknowledged, String... names) {
            if (!acknowledged) {
                refused.add(names[0]);
                return;
            }
            for (String name : names) {
                counts.computeIfAbsent(name, n -> new LongAdder()).increment();
            }
        }

        long of(String name) {
            LongAdder count = counts.get(name);
            return count == null ? 0 : count.sum();
        }
    }
}
