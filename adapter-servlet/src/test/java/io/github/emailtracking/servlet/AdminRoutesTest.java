package io.github.emailtracking.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.Viewer;
import io.github.emailtracking.core.ClientInfo;
import io.github.emailtracking.core.NewEmail;
import io.github.emailtracking.core.RegisteredEmail;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AdminRoutesTest extends RouteTestSupport {

    @Test
    void status_ownersToken_answersTheDocumentedFields() {
        RegisteredEmail email = registerEmail("alice", PRODUCT);
        tracker.recordOpen(email.trackingId().value(), new ClientInfo("192.0.2.1", "Mail"));
        tracker.recordClick(email.trackingId().value(), PRODUCT, null, ClientInfo.UNKNOWN);

        HttpResponse<String> response =
                get(
                        "/status/" + email.trackingId(),
                        "Authorization",
                        bearer(Tokens.owner("alice")));

        JsonNode body = json(response);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(fieldNames(body.get("tracking")))
                .containsExactly(
                        "trackingId",
                        "campaignId",
                        "recipientEmail",
                        "openCount",
                        "clickCount",
                        "replied",
                        "reminderSent",
                        "firstOpenAt",
                        "lastOpenAt",
                        "firstClickAt",
                        "repliedAt",
                        "sentAt",
                        "bouncedAt",
                        "unsubscribedAt");
        assertThat(body.get("tracking").get("openCount").asLong()).isEqualTo(1);
        assertThat(body.get("tracking").get("firstOpenAt").asText())
                .isEqualTo("2026-02-10T11:15:00Z");
        assertThat(body.get("tracking").get("repliedAt").isNull()).isTrue();
        assertThat(fieldNames(body.get("opens").get(0)))
                .containsExactly("openedAt", "ipAddress", "userAgent", "verdict", "reason");
        assertThat(body.get("opens").get(0).get("ipAddress").asText()).isEqualTo("192.0.2.1");
        assertThat(fieldNames(body.get("clicks").get(0)))
                .containsExactly("clickedAt", "clickedUrl", "ipAddress", "verdict", "reason");
        assertThat(body.get("replyAttachments").isArray()).isTrue();
    }

    @Test
    void status_withLimitAndOffset_pagesFromTheNewest() {
        RegisteredEmail email = registerEmail("alice");
        for (int i = 0; i < 5; i++) {
            tracker.recordOpen(email.trackingId().value(), new ClientInfo("192.0.2." + i, null));
        }

        HttpResponse<String> response =
                get(
                        "/status/" + email.trackingId() + "?limit=2&offset=1",
                        "Authorization",
                        bearer(Tokens.owner("alice")));

        JsonNode opens = json(response).get("opens");
        assertThat(opens).hasSize(2);
        assertThat(opens.get(0).get("ipAddress").asText()).isEqualTo("192.0.2.2");
        assertThat(opens.get(1).get("ipAddress").asText()).isEqualTo("192.0.2.3");
        assertThat(json(response).get("tracking").get("openCount").asLong()).isEqualTo(5);
    }

    @ParameterizedTest
    @MethodSource("badPages")
    void status_badPage_is400(String query) {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response =
                get(
                        "/status/" + email.trackingId() + query,
                        "Authorization",
                        bearer(Tokens.owner("alice")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText())
                .isIn(
                        "limit must be a whole number from 1 to 1000",
                        "offset must be a whole number from 0 to 2147483647");
    }

    static Stream<String> badPages() {
        return Stream.of(
                "?limit=0",
                "?limit=1001",
                "?limit=x",
                "?offset=-1",
                "?limit=99999999999",
                "?offset=2147483648",
                "?offset=1e3",
                "?offset=" + "9".repeat(40));
    }

    @Test
    void status_largestOffset_isAnEmptyPage() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response =
                get(
                        "/status/" + email.trackingId() + "?offset=2147483647",
                        "Authorization",
                        bearer(Tokens.owner("alice")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("opens")).isEmpty();
    }

    @Test
    void status_anotherOwnersEmail_is404LikeAMissingOne() {
        RegisteredEmail email = registerEmail("alice");
        String bob = bearer(Tokens.owner("bob"));

        HttpResponse<String> other = get("/status/" + email.trackingId(), "Authorization", bob);
        HttpResponse<String> missing = get("/status/missing", "Authorization", bob);

        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(other.body()).isEqualTo(missing.body());
    }

    @Test
    void status_adminRole_seesEveryonesEmail() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response =
                get("/status/" + email.trackingId(), "Authorization", bearer(Tokens.admin("root")));

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void adminRoutes_badToken_are401WithChallenge(String name, String authorization) {
        RegisteredEmail email = registerEmail("alice");

        List<HttpResponse<String>> responses = new ArrayList<>();
        for (String route :
                List.of("/status/" + email.trackingId(), "/campaign/x", "/reply-attachment/x")) {
            responses.add(
                    authorization == null
                            ? get(route)
                            : get(route, "Authorization", authorization));
        }
        responses.add(
                authorization == null
                        ? post("/campaigns", "{\"campaignName\":\"x\"}")
                        : post(
                                "/campaigns",
                                "{\"campaignName\":\"x\"}",
                                "Authorization",
                                authorization));

        assertThat(responses)
                .allSatisfy(
                        response -> {
                            assertThat(response.statusCode()).isEqualTo(401);
                            assertThat(response.headers().firstValue("WWW-Authenticate"))
                                    .get()
                                    .asString()
                                    .startsWith("Bearer");
                            assertThat(json(response).get("success").asBoolean()).isFalse();
                        });
    }

    @Test
    void statusAndCampaign_head_answerLikeGetWithoutABody() {
        RegisteredEmail email = registerEmail("alice", PRODUCT);
        String campaignId = store.findEmail(email.trackingId()).orElseThrow().campaignId().value();
        String alice = bearer(Tokens.owner("alice"));

        HttpResponse<String> statusGet =
                send(
                        request("/status/" + email.trackingId())
                                .header("Authorization", alice)
                                .GET()
                                .build());
        HttpResponse<String> status = headWith("/status/" + email.trackingId(), alice);
        HttpResponse<String> campaign = headWith("/campaign/" + campaignId, alice);
        HttpResponse<String> unknown = headWith("/status/unknown", alice);
        HttpResponse<String> noToken = headWith("/status/" + email.trackingId());

        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.headers().firstValue("Content-Type"))
                .hasValue("application/json;charset=utf-8");
        assertThat(status.body()).isEmpty();
        assertThat(status.headers().firstValueAsLong("Content-Length"))
                .hasValue(statusGet.body().getBytes(StandardCharsets.UTF_8).length);
        assertThat(campaign.statusCode()).isEqualTo(200);
        assertThat(campaign.body()).isEmpty();
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(noToken.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(noToken.body()).isEmpty();
    }

    private HttpResponse<String> headWith(String route, String... authorization) {
        HttpRequest.Builder request = request(route).method("HEAD", BodyPublishers.noBody());
        if (authorization.length > 0) {
            request.header("Authorization", authorization[0]);
        }
        return send(request.build());
    }

    static Stream<Arguments> badTokens() {
        byte[] otherSecret =
                "another secret that is long enough for HS256".getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                Arguments.of("no header", null),
                Arguments.of("not bearer", "Basic YWxpY2U6c2VjcmV0"),
                Arguments.of("empty bearer", "Bearer "),
                Arguments.of("garbage", "Bearer not.a.token"),
                Arguments.of("wrong key", bearer(Tokens.signedWith(otherSecret, "alice"))),
                Arguments.of("expired", bearer(Tokens.expired("alice"))),
                Arguments.of("no exp", bearer(Tokens.withoutExpiry("alice"))),
                Arguments.of("alg none", bearer(Tokens.unsigned("alice"))),
                Arguments.of("wrong algorithm", bearer(Tokens.hs512("alice"))),
                Arguments.of("valid but padded", bearer(Tokens.owner("alice") + "=")),
                Arguments.of(
                        "valid but in the other base64 alphabet", bearer(inTheOtherAlphabet())));
    }

    /**
     * Returns a valid token spelled in base64 with '+' and '/', which the decoder reads alike: of
     * the first tokens whose base64url has a '-' or '_' to spell otherwise.
     */
    private static String inTheOtherAlphabet() {
        for (int i = 0; ; i++) {
            String token = Tokens.owner("alice" + i);
            if (token.contains("-") || token.contains("_")) {
                return token.replace('-', '+').replace('_', '/');
            }
        }
    }

    @Test
    void twoAuthorizationHeaders_are401_evenWhenTheFirstIsValid() {
        RegisteredEmail email = registerEmail("alice");
        String valid = bearer(Tokens.owner("alice"));

        HttpResponse<String> response =
                send(
                        request(
                                        "/status/" + email.trackingId(),
                                        "Authorization",
                                        valid,
                                        "Authorization",
                                        "Bearer not.a.token")
                                .GET()
                                .build());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("message").asText())
                .isEqualTo("send one Authorization header, not several");
    }

    @Test
    void refusedRequest_whoseBodyIsLeftUnread_saysTheConnectionCloses() throws Exception {
        byte[] body =
                ("{\"name\":\"" + "x".repeat(1_000_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        String head =
                "POST "
                        + TrackingTestServer.MOUNT
                        + "/campaigns HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nContent-Length: "
                        + body.length
                        + "\r\n\r\n";

        RawHttp.Answer answer = RawHttp.send(server.port(), head, body);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.hasHeader("Connection", "close")).as(answer.text()).isTrue();
    }

    @Test
    void answeredRequest_shortOrReadBody_keepsTheConnection_longUnreadBodyCloses()
            throws Exception {
        RegisteredEmail email = registerEmail("alice");
        byte[] campaign = "{\"campaignName\":\"Kept\"}".getBytes(StandardCharsets.UTF_8);
        byte[] ignored = new byte[1_000_000];

        String created =
                headOfAnswer(
                        "POST "
                                + TrackingTestServer.MOUNT
                                + "/campaigns HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                + "Authorization: Bearer "
                                + Tokens.owner("alice")
                                + "\r\nContent-Type: application/json\r\nContent-Length: "
                                + campaign.length
                                + "\r\n\r\n",
                        campaign);
        String pixel =
                headOfAnswer(
                        "GET "
                                + TrackingTestServer.MOUNT
                                + route(email.openUrl())
                                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                                + ignored.length
                                + "\r\n\r\n",
                        ignored);

        String reminder =
                headOfAnswer(
                        "POST "
                                + TrackingTestServer.MOUNT
                                + "/reminder-sent/"
                                + email.trackingId()
                                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain"
                                + "\r\nContent-Length: "
                                + ignored.length
                                + "\r\n\r\n",
                        ignored);

        String smallReminder =
                headOfAnswer(
                        "POST "
                                + TrackingTestServer.MOUNT
                                + "/reminder-sent/"
                                + email.trackingId()
                                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                                + "\r\nContent-Length: 2\r\n\r\n",
                        "{}".getBytes(StandardCharsets.UTF_8));

        byte[] upload =
                new Multipart()
                        .file("file", "a.txt", "text/plain", new byte[] {1, 2, 3})
                        .field("note", "after the file")
                        .build();
        String uploaded =
                headOfAnswer(
                        "POST "
                                + TrackingTestServer.MOUNT
                                + "/reply-attachment/"
                                + email.trackingId()
                                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                                + Multipart.CONTENT_TYPE
                                + "\r\nContent-Length: "
                                + upload.length
                                + "\r\n\r\n",
                        upload);

        assertThat(created).startsWith("HTTP/1.1 201").doesNotContainIgnoringCase("connection:");
        assertThat(uploaded).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("connection:");
        assertThat(pixel).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
        assertThat(reminder).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
        assertThat(smallReminder)
                .startsWith("HTTP/1.1 200")
                .doesNotContainIgnoringCase("connection:");
    }

    /** Sends a request and returns the head of its answer, leaving the connection open. */
    private String headOfAnswer(String head, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.getBytes(StandardCharsets.UTF_8));
                out.write(body);
                out.flush();
            } catch (SocketException e) {
                // The server may answer and close before it reads a body it does not need.
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            while (!answer.toString(StandardCharsets.UTF_8).contains("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                answer.write(b);
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void adminRoutes_tokenInQueryString_isNotAccepted() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response =
                get("/status/" + email.trackingId() + "?access_token=" + Tokens.owner("alice"));

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void campaign_answersTheDocumentedReport() {
        Campaign campaign = tracker.createCampaign("alice", "Welcome Campaign");
        Viewer alice = Viewer.owner("alice");
        for (int i = 0; i < 4; i++) {
            NewEmail email =
                    new NewEmail(
                            "r" + i + "@example.com",
                            NOW.minus(Duration.ofMinutes(135)),
                            List.of(PRODUCT),
                            null,
                            null);
            String id =
                    tracker.registerEmail(alice, campaign.id().value(), email).trackingId().value();
            if (i < 3) {
                tracker.recordOpen(id, ClientInfo.UNKNOWN);
            }
            if (i < 1) {
                tracker.recordClick(id, PRODUCT, null, ClientInfo.UNKNOWN);
                tracker.recordReply(id, null, 0);
            }
        }

        HttpResponse<String> response =
                get("/campaign/" + campaign.id(), "Authorization", bearer(Tokens.owner("alice")));

        JsonNode body = json(response);
        JsonNode stats = body.get("campaign");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(fieldNames(stats))
                .containsExactly(
                        "campaignId",
                        "campaignName",
                        "sentCount",
                        "openedCount",
                        "clickedCount",
                        "repliedCount",
                        "openRate",
                        "clickRate",
                        "replyRate",
                        "bounceCount",
                        "unsubscribeCount",
                        "averageTimeToOpen",
                        "averageTimeToClick",
                        "totalOpens",
                        "totalClicks",
                        "human",
                        "machine");
        assertThat(stats.get("campaignName").asText()).isEqualTo("Welcome Campaign");
        assertThat(stats.get("sentCount").asLong()).isEqualTo(4);
        assertThat(stats.get("openedCount").asLong()).isEqualTo(3);
        assertThat(stats.get("openRate").asDouble()).isEqualTo(75.0);
        assertThat(stats.get("clickRate").asDouble()).isEqualTo(25.0);
        assertThat(stats.get("averageTimeToOpen").asText()).isEqualTo("2 hours 15 minutes");
        assertThat(body.get("topLinks").get(0).get("url").asText()).isEqualTo(PRODUCT);
        assertThat(body.get("topLinks").get(0).get("clicks").asLong()).isEqualTo(1);
        assertThat(body.get("engagementTimeline").get(0).toString())
                .isEqualTo("{\"date\":\"2026-02-10\",\"opens\":3,\"clicks\":1,\"replies\":1}");
    }

    @Test
    void campaign_nothingSent_hasZeroRatesAndNullAverages() {
        Campaign campaign = tracker.createCampaign("alice", "Empty");

        HttpResponse<String> response =
                get("/campaign/" + campaign.id(), "Authorization", bearer(Tokens.owner("alice")));

        JsonNode stats = json(response).get("campaign");
        assertThat(stats.get("openRate").asText()).isEqualTo("0.0");
        assertThat(stats.get("averageTimeToOpen").isNull()).isTrue();
    }

    @Test
    void campaign_withZone_countsDaysThere_andRejectsAnUnknownZone() {
        Campaign campaign = tracker.createCampaign("alice", "Welcome");
        String id =
                tracker.registerEmail(
                                Viewer.owner("alice"),
                                campaign.id().value(),
                                NewEmail.to("a@example.com", List.of()))
                        .trackingId()
                        .value();
        tracker.recordOpen(id, ClientInfo.UNKNOWN);
        String alice = bearer(Tokens.owner("alice"));

        HttpResponse<String> tokyo =
                get("/campaign/" + campaign.id() + "?tz=Asia/Tokyo", "Authorization", alice);
        HttpResponse<String> nepal =
                get("/campaign/" + campaign.id() + "?tz=%2B05:45", "Authorization", alice);
        HttpResponse<String> bad =
                get("/campaign/" + campaign.id() + "?tz=Mars/Olympus", "Authorization", alice);
        HttpResponse<String> oddOffset =
                get("/campaign/" + campaign.id() + "?tz=-03:22:15", "Authorization", alice);
        HttpResponse<String> plusAsSpace =
                get("/campaign/" + campaign.id() + "?tz=+05:45", "Authorization", alice);
        HttpResponse<String> farOffset =
                get("/campaign/" + campaign.id() + "?tz=%2B18:15", "Authorization", alice);
        HttpResponse<String> oneDigitHour =
                get("/campaign/" + campaign.id() + "?tz=%2B5:45", "Authorization", alice);
        HttpResponse<String> farUtcOffset =
                get("/campaign/" + campaign.id() + "?tz=UTC-18:15", "Authorization", alice);

        assertThat(json(tokyo).get("engagementTimeline").get(0).get("date").asText())
                .isEqualTo("2026-02-10");
        assertThat(nepal.statusCode()).isEqualTo(200);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("message").asText())
                .isEqualTo(
                        "tz must be a time zone such as Europe/Berlin or UTC, or an offset such as"
                                + " +05:45");
        assertThat(oddOffset.statusCode()).isEqualTo(400);
        assertThat(json(oddOffset).get("message").asText())
                .isEqualTo(
                        "tz must be a time zone or an offset of whole quarter hours, such as"
                                + " +05:45");
        assertThat(plusAsSpace.statusCode()).isEqualTo(400);
        assertThat(json(plusAsSpace).get("message").asText())
                .isEqualTo(
                        "tz must not begin with a space; write an offset's '+' as %2B, as in"
                                + " tz=%2B05:45");
        assertThat(
                        List.of(
                                farOffset.statusCode(),
                                oneDigitHour.statusCode(),
                                farUtcOffset.statusCode()))
                .containsOnly(400);
        assertThat(List.of(json(farOffset), json(oneDigitHour), json(farUtcOffset)))
                .extracting(answer -> answer.get("message").asText())
                .containsOnly(
                        "tz must be an offset from -18:00 to +18:00 written as +hh:mm, such as"
                                + " +05:45");
    }

    @Test
    void campaign_anotherOwner_is404() {
        Campaign campaign = tracker.createCampaign("alice", "Welcome");

        HttpResponse<String> response =
                get("/campaign/" + campaign.id(), "Authorization", bearer(Tokens.owner("bob")));

        assertThat(response.statusCode()).isEqualTo(404);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
