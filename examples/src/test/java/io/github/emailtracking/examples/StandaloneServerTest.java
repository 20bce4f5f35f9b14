package io.github.emailtracking.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The newcomer's path: start the standalone server on a fresh SQLite file, use every kind of route,
 * stop it, start it again, and find everything still there.
 */
class StandaloneServerTest {

    private static final String SECRET = "a secret for the standalone server test, 32+ bytes";
    private static final String PRODUCT = "https://example.com/product?ref=mail#top";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void days_one_isSingular() {
        assertThat(StandaloneServer.days(Duration.ofDays(1))).isEqualTo("1 day");
        assertThat(StandaloneServer.days(Duration.ofDays(30))).isEqualTo("30 days");
    }

    @Test
    void droppedEvents_someUnconfirmed_saysTheDatabaseMayHaveStoredThem() {
        assertThat(StandaloneServer.droppedEvents(3, 0))
                .isEqualTo("3 event(s) were not stored since the start, because the store failed");
        assertThat(StandaloneServer.droppedEvents(3, 2))
                .isEqualTo(
                        "3 event(s) were not stored since the start, because the store failed;"
                                + " the database did not confirm 2 of them, which it may have"
                                + " stored all the same");
    }

    @Test
    void restart_keepsEveryEvent_andLinksFromBeforeStillRedirect() throws Exception {
        Path db = dir.resolve("tracking.db");
        String trackingId;
        String campaignId;
        String clickUrl;
        String attachmentId;
        byte[] file = new byte[600_000];
        new Random(7).nextBytes(file);

        try (StandaloneServer server = StandaloneServer.start(config(db))) {
            String base = "http://127.0.0.1:" + server.port() + StandaloneServer.MOUNT;
            campaignId =
                    field(
                            post(base + "/campaigns", "{\"campaignName\":\"Launch\"}"),
                            "campaign",
                            "campaignId");
            JsonNode email =
                    json.readTree(
                            post(
                                            base + "/campaigns/" + campaignId + "/emails",
                                            "{\"recipientEmail\":\"customer@example.com\","
                                                    + "\"links\":[\""
                                                    + PRODUCT
                                                    + "\"]}")
                                    .body());
            trackingId = email.get("trackingId").asText();
            clickUrl = local(email.get("clickUrls").get(PRODUCT).asText(), base);

            assertThat(get(base + "/open/" + trackingId).statusCode()).isEqualTo(200);
            assertThat(get(clickUrl).headers().firstValue("Location")).contains(PRODUCT);
            assertThat(
                            post(base + "/reply/" + trackingId, "{\"attachmentCount\":\"1\"}")
                                    .statusCode())
                    .isEqualTo(200);
            assertThat(post(base + "/reminder-sent/" + trackingId, "").statusCode()).isEqualTo(200);
            HttpResponse<String> upload = upload(base + "/reply-attachment/" + trackingId, file);
            assertThat(upload.statusCode()).isEqualTo(200);
            attachmentId = json.readTree(upload.body()).get("attachmentId").asText();
        }
        assertThat(Files.exists(db)).isTrue();

        try (StandaloneServer server = StandaloneServer.start(config(db))) {
            String base = "http://127.0.0.1:" + server.port() + StandaloneServer.MOUNT;
            String clickAfterRestart =
                    clickUrl.replaceFirst("127\\.0\\.0\\.1:\\d+", "127.0.0.1:" + server.port());

            HttpResponse<String> click = get(clickAfterRestart);
            JsonNode status = json.readTree(get(base + "/status/" + trackingId).body());
            JsonNode report = json.readTree(get(base + "/campaign/" + campaignId).body());

            HttpResponse<byte[]> download =
                    http.send(
                            authorized(base + "/reply-attachment/" + attachmentId).GET().build(),
                            BodyHandlers.ofByteArray());

            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.body()).isEqualTo(file);
            assertThat(click.statusCode()).isEqualTo(302);
            assertThat(click.headers().firstValue("Location")).contains(PRODUCT);
            assertThat(status.get("tracking").get("openCount").asLong()).isEqualTo(1);
            assertThat(status.get("tracking").get("clickCount").asLong()).isEqualTo(2);
            assertThat(status.get("tracking").get("replied").asBoolean()).isTrue();
            assertThat(status.get("tracking").get("reminderSent").asBoolean()).isTrue();
            assertThat(report.get("campaign").get("sentCount").asLong()).isEqualTo(1);
            assertThat(report.get("campaign").get("openRate").asDouble()).isEqualTo(100.0);
        }
    }

    @Test
    void pathsOutsideTheRoutes_areAJson404_forEveryMethod() throws Exception {
        try (StandaloneServer server = StandaloneServer.start(config(dir.resolve("t.db")))) {
            String root = "http://127.0.0.1:" + server.port();

            HttpResponse<String> get = get(root + "/");
            HttpResponse<String> patch =
                    http.send(
                            HttpRequest.newBuilder(URI.create(root + "/api/trackx"))
                                    .method("PATCH", BodyPublishers.noBody())
                                    .build(),
                            BodyHandlers.ofString());

            assertThat(get.statusCode()).isEqualTo(404);
            assertThat(patch.statusCode()).isEqualTo(404);
            assertThat(json.readTree(patch.body()).get("success").asBoolean()).isFalse();
        }
    }

    @Test
    void pathOutsideTheRoutes_sentWithABody_saysTheConnectionCloses() throws Exception {
        try (StandaloneServer server = StandaloneServer.start(config(dir.resolve("t.db")))) {
            byte[] body = new byte[1_000_000];
            String head =
                    "POST /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                            + body.length
                            + "\r\n\r\n";

            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                // The answer may come, and the server close, before the body is all sent: it is
                // read meanwhile, and a write to the closed connection is no failure.
                CompletableFuture<Void> sending =
                        CompletableFuture.runAsync(() -> sendQuietly(out, body));
                String answer = headOf(socket.getInputStream());
                sending.join();

                assertThat(answer)
                        .startsWith("HTTP/1.1 404")
                        .containsIgnoringCase("connection: close");
            }
        }
    }

    @Test
    void stop_whileAReplyBodyHasStoppedArriving_answers408SoTheClientSendsItAgain()
            throws Exception {
        StandaloneServer server = StandaloneServer.start(config(dir.resolve("t.db")));
        String base = "http://127.0.0.1:" + server.port() + StandaloneServer.MOUNT;
        String trackingId = registerEmail(base).get("trackingId").asText();
        String head =
                "POST "
                        + StandaloneServer.MOUNT
                        + "/reply/"
                        + trackingId
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 1000\r\nExpect: 100-continue\r\n\r\n";

        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            // The container asks for the body once the route starts reading it.
            assertThat(headOf(socket.getInputStream())).startsWith("HTTP/1.1 100");
            socket.getOutputStream().write("{\"replyMe".getBytes(StandardCharsets.US_ASCII));
            Thread stopping = new Thread(server::close, "stopping");
            stopping.start();
            String answer =
                    new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            stopping.join();

            assertThat(answer)
                    .startsWith("HTTP/1.1 408")
                    .contains("The request body stopped arriving before its end");
        } finally {
            server.close();
        }
    }

    @Test
    void stop_whileOpensWaitForTheDatabase_answersEachOnceStored() throws Exception {
        Path db = dir.resolve("t.db");
        StandaloneServer server = StandaloneServer.start(config(db));
        String base = "http://127.0.0.1:" + server.port() + StandaloneServer.MOUNT;
        String trackingId = registerEmail(base).get("trackingId").asText();
        List<CompletableFuture<HttpResponse<byte[]>>> opens;
        Thread stopping = new Thread(server::close, "stopping");

        try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            writer.createStatement().execute("BEGIN IMMEDIATE");
            opens = sendOpens(base + "/open/" + trackingId, 8);
            // Time for the opens to reach the store, which waits for the lock held here.
            Thread.sleep(1_000);
            stopping.start();
            // Longer than the second a stopping Jetty gives a connection that does nothing.
            Thread.sleep(2_500);
            writer.createStatement().execute("ROLLBACK");
        } finally {
            stopping.join();
            server.close();
        }

        for (CompletableFuture<HttpResponse<byte[]>> open : opens) {
            assertThat(open.get().statusCode()).isEqualTo(200);
        }
        try (StandaloneServer again = StandaloneServer.start(config(db))) {
            String url = "http://127.0.0.1:" + again.port() + StandaloneServer.MOUNT;
            JsonNode status = json.readTree(get(url + "/status/" + trackingId).body());
            assertThat(status.get("tracking").get("openCount").asLong()).isEqualTo(8);
        }
    }

    /** Sends opens at once, each on a connection of its own, as mail clients do. */
    private static List<CompletableFuture<HttpResponse<byte[]>>> sendOpens(String url, int opens) {
        List<CompletableFuture<HttpResponse<byte[]>>> sent = new ArrayList<>();
        for (int i = 0; i < opens; i++) {
            HttpClient client = HttpClient.newHttpClient();
            sent.add(
                    client.sendAsync(
                            HttpRequest.newBuilder(URI.create(url)).GET().build(),
                            BodyHandlers.ofByteArray()));
        }
        return sent;
    }

    private static void sendQuietly(OutputStream out, byte[] body) {
        try {
            out.write(body);
        } catch (IOException e) {
            // The server closed the connection, as it may once it has answered.
        }
    }

    /** Reads the head of an answer, up to the blank line after its headers. */
    private static String headOf(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        for (int b = in.read(); b >= 0; b = in.read()) {
            head.append((char) b);
            if (head.toString().endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }

    @Test
    void requestsJettyRefusesBeforeTheRoutes_areAnsweredWithJsonErrors() throws Exception {
        try (StandaloneServer server = StandaloneServer.start(config(dir.resolve("t.db")))) {
            String base = "http://127.0.0.1:" + server.port() + StandaloneServer.MOUNT;
            HttpRequest hugeHeader =
                    HttpRequest.newBuilder(URI.create(base + "/open/abc"))
                            .header("X-Filler", "a".repeat(20_000))
                            .build();

            HttpResponse<String> badEncoding = get(base + "/open/%ff%fe");
            HttpResponse<String> ambiguous = get(base + "/open/a%2Fb");
            HttpResponse<String> nul = get(base + "/status/%00");
            HttpResponse<String> tooLarge = http.send(hugeHeader, BodyHandlers.ofString());

            assertJsonError(badEncoding, 400, "Bad Request: Bad UTF-8 encoding");
            assertJsonError(ambiguous, 400, "Bad Request: Ambiguous URI path separator");
            assertJsonError(
                    nul, 400, "Bad Request: the request's URI or headers are not valid HTTP");
            assertJsonError(tooLarge, 431, "Request Header Fields Too Large");
        }
    }

    @Test
    void anyFreePort_withoutPublicUrl_putsTheBoundPortInLinks() throws Exception {
        Map<String, String> env = environment(dir.resolve("t.db"));
        env.remove("TRACKING_PUBLIC_URL");

        try (StandaloneServer server = StandaloneServer.start(ServerConfig.fromEnvironment(env))) {
            String base = "http://127.0.0.1:" + server.port() + StandaloneServer.MOUNT;

            JsonNode email = registerEmail(base);

            assertThat(email.get("openUrl").asText())
                    .startsWith("http://localhost:" + server.port() + StandaloneServer.MOUNT);
        }
    }

    private void assertJsonError(HttpResponse<String> response, int status, String message)
            throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("success").asBoolean()).isFalse();
        assertThat(body.get("message").asText()).isEqualTo(message);
    }

    @Test
    void portTaken_failsNamingWhereItWouldListen() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Map<String, String> env = environment(dir.resolve("t.db"));
            env.put("TRACKING_PORT", Integer.toString(taken.getLocalPort()));

            assertThatThrownBy(() -> StandaloneServer.start(ServerConfig.fromEnvironment(env)))
                    .isInstanceOf(IOException.class)
                    .hasMessage(
                            "could not listen on 127.0.0.1, port "
                                    + taken.getLocalPort()
                                    + " (TRACKING_HOST, TRACKING_PORT)");
        }
    }

    @Test
    void behindAProxy_malformedForwardingHeaders_stillGetThePixel() throws Exception {
        Map<String, String> env = environment(dir.resolve("proxied.db"));
        env.put("TRACKING_TRUST_PROXY", "true");

        try (StandaloneServer server = StandaloneServer.start(ServerConfig.fromEnvironment(env))) {
            String base = "http://127.0.0.1:" + server.port() + StandaloneServer.MOUNT;
            String trackingId = registerEmail(base).get("trackingId").asText();
            String open = base + "/open/" + trackingId;

            HttpResponse<byte[]> forwarded = getBytes(open, "X-Forwarded-For", "203.0.113.9");
            HttpResponse<byte[]> badFor = getBytes(open, "X-Forwarded-For", "<script>");
            HttpResponse<byte[]> badPort = getBytes(open, "X-Forwarded-Port", "abc");
            HttpResponse<byte[]> badForwarded = getBytes(open, "Forwarded", "for=\"<x>\"");
            JsonNode status = json.readTree(get(base + "/status/" + trackingId).body());

            for (HttpResponse<byte[]> response :
                    List.of(forwarded, badFor, badPort, badForwarded)) {
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("Content-Type")).contains("image/gif");
            }
            assertThat(status.get("tracking").get("openCount").asInt()).isEqualTo(4);
            assertThat(status.get("opens").get(0).get("ipAddress").asText())
                    .isEqualTo("203.0.113.9");
        }
    }

    @Test
    void behindAProxyWritingXForwardedFor_itsLastEntryIsTaken_andNoOtherHeader() throws Exception {
        List<String> addresses =
                addressesRecordedBehind(
                        "true",
                        List.of("X-Forwarded-For", "198.51.100.7, 203.0.113.9"),
                        List.of(
                                "X-Forwarded-For",
                                "198.51.100.7",
                                "X-Forwarded-For",
                                "203.0.113.10"),
                        List.of(
                                "Forwarded",
                                "for=198.51.100.66",
                                "X-Forwarded-For",
                                "203.0.113.11"),
                        List.of("X-Forwarded-For", ", 203.0.113.12"),
                        List.of("X-Forwarded-For", "\"198.51.100.68, 203.0.113.13"),
                        List.of("Forwarded", "for=198.51.100.67"));

        assertThat(addresses)
                .containsExactlyInAnyOrder(
                        "203.0.113.9",
                        "203.0.113.10",
                        "203.0.113.11",
                        "203.0.113.12",
                        "203.0.113.13",
                        "127.0.0.1");
    }

    @Test
    void behindAProxyWritingForwarded_itsLastEntryIsTaken_andNoOtherHeader() throws Exception {
        List<String> addresses =
                addressesRecordedBehind(
                        "forwarded",
                        List.of("Forwarded", "for=198.51.100.7, for=\"[2001:db8::1]\""),
                        List.of("X-Forwarded-For", "198.51.100.66", "Forwarded", "for=203.0.113.9"),
                        List.of("Forwarded", "for=\"198.51.100.9, for=203.0.113.14"),
                        List.of("X-Forwarded-For", "198.51.100.67"),
                        List.of("Forwarded", "for=198.51.100.8;for=203.0.113.15"));

        assertThat(addresses)
                .containsExactlyInAnyOrder(
                        "2001:db8::1", "203.0.113.9", "203.0.113.14", "127.0.0.1", "127.0.0.1");
    }

    /** Opens one email once per set of headers; returns the addresses its status then shows. */
    @SafeVarargs
    private List<String> addressesRecordedBehind(String trustProxy, List<String>... headerSets)
            throws Exception {
        Map<String, String> env = environment(dir.resolve("proxied-" + trustProxy + ".db"));
        env.put("TRACKING_TRUST_PROXY", trustProxy);
        try (StandaloneServer server = StandaloneServer.start(ServerConfig.fromEnvironment(env))) {
            String base = "http://127.0.0.1:" + server.port() + StandaloneServer.MOUNT;
            String trackingId = registerEmail(base).get("trackingId").asText();
            for (List<String> headers : headerSets) {
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/open/" + trackingId))
                                .headers(headers.toArray(String[]::new))
                                .build(),
                        BodyHandlers.discarding());
            }
            JsonNode status = json.readTree(get(base + "/status/" + trackingId).body());
            return status.get("opens").findValuesAsText("ipAddress");
        }
    }

    /** Creates a campaign and registers one email in it; returns the registration's answer. */
    private JsonNode registerEmail(String base) throws Exception {
        String campaignId =
                field(
                        post(base + "/campaigns", "{\"campaignName\":\"Launch\"}"),
                        "campaign",
                        "campaignId");
        HttpResponse<String> email =
                post(
                        base + "/campaigns/" + campaignId + "/emails",
                        "{\"recipientEmail\":\"customer@example.com\"}");
        return json.readTree(email.body());
    }

    private ServerConfig config(Path db) {
        return ServerConfig.fromEnvironment(environment(db));
    }

    private static Map<String, String> environment(Path db) {
        Map<String, String> env = new HashMap<>();
        env.put("TRACKING_PORT", "0");
        env.put("TRACKING_HOST", "127.0.0.1");
        env.put("TRACKING_DB", db.toString());
        env.put("TRACKING_JWT_SECRET", SECRET);
        env.put("TRACKING_PUBLIC_URL", "http://127.0.0.1:1/api/track");
        return env;
    }

    private static String local(String publicUrl, String base) {
        return base + publicUrl.substring("http://127.0.0.1:1/api/track".length());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(authorized(url).GET().build(), BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> getBytes(String url, String header, String value)
            throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url)).header(header, value).GET().build(),
                BodyHandlers.ofByteArray());
    }

    /** Sends {@code file} as the part {@code file} of a multipart body, as a mail flow would. */
    private HttpResponse<String> upload(String url, byte[] file) throws Exception {
        String boundary = "----tracking-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(
                ("--"
                                + boundary
                                + "\r\nContent-Disposition: form-data; name=\"file\";"
                                + " filename=\"contract.pdf\"\r\nContent-Type: application/pdf"
                                + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(BodyPublishers.ofByteArray(body.toByteArray()))
                        .build();
        return http.send(request, BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String body) throws Exception {
        return http.send(
                authorized(url).POST(BodyPublishers.ofString(body)).build(),
                BodyHandlers.ofString());
    }

    private String field(HttpResponse<String> response, String object, String name)
            throws Exception {
        return json.readTree(response.body()).get(object).get(name).asText();
    }

    private static HttpRequest.Builder authorized(String url) {
        String token =
                JWT.create()
                        .withSubject("alice")
                        .withExpiresAt(Instant.now().plus(Duration.ofHours(1)))
                        .sign(Algorithm.HMAC256(SECRET.getBytes(StandardCharsets.UTF_8)));
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token);
    }
}
