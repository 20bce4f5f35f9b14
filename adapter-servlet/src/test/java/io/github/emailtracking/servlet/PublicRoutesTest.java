package io.github.emailtracking.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.emailtracking.api.EmailCounters;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.TrackingId;
import io.github.emailtracking.core.RegisteredEmail;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PublicRoutesTest extends RouteTestSupport {

    @Test
    void open_knownId_answersTheGifWithNoCacheHeaders_andRecordsTheOpen() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<byte[]> response =
                getBytes(route(email.openUrl()), "User-Agent", "Mozilla/5.0 (Mail)");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(Pixel.GIF).hasSize(43);
        assertPixelHeaders(response);
        assertThat(store.status(email.trackingId(), Page.NEWEST).orElseThrow().opens())
                .singleElement()
                .satisfies(
                        open -> {
                            assertThat(open.ipAddress()).isEqualTo("127.0.0.1");
                            assertThat(open.userAgent()).isEqualTo("Mozilla/5.0 (Mail)");
                        });
    }

    @Test
    void open_userAgentInUtf8_isStoredAsSent() throws IOException {
        RegisteredEmail email = registerEmail("alice");
        String head =
                "GET "
                        + TrackingTestServer.MOUNT
                        + route(email.openUrl())
                        + " HTTP/1.1\r\n"
                        + "Host: 127.0.0.1\r\n"
                        + "User-Agent: Mail/1.0 \u00fcn\u00efc\u00f6d\u00e9 \u2713\r\n"
                        + "Connection: close\r\n\r\n";

        RawHttp.Answer answer = RawHttp.send(server.port(), head, new byte[0]);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(store.status(email.trackingId(), Page.NEWEST).orElseThrow().opens())
                .singleElement()
                .extracting(open -> open.userAgent())
                .isEqualTo("Mail/1.0 \u00fcn\u00efc\u00f6d\u00e9 \u2713");
    }

    @Test
    void open_declaringABodyItDoesNotSend_isAnsweredWithoutWaitingForIt() throws IOException {
        RegisteredEmail email = registerEmail("alice");
        String head =
                "GET "
                        + TrackingTestServer.MOUNT
                        + route(email.openUrl())
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nhalf.";

        assertThat(statusLineWithoutTheRestOfTheBody(head)).isEqualTo("HTTP/1.1 200 OK");
    }

    @Test
    void refusedGet_withAChunkedBodyNeverSent_isAnsweredWithoutWaitingForIt() throws IOException {
        String head =
                "GET "
                        + TrackingTestServer.MOUNT
                        + "/click/AAAAAAAAAAAAAAAAAAAAAA?redirect=https%3A%2F%2Fexample.com%2F"
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n";

        assertThat(statusLineWithoutTheRestOfTheBody(head)).startsWith("HTTP/1.1 4");
    }

    /**
     * Sends a request whose body stops short, keeping the connection open, and returns the first
     * line of the answer: it must come in far less than the container's idle timeout, which a wait
     * for the body would take.
     */
    private String statusLineWithoutTheRestOfTheBody(String head) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(
                            new InputStreamReader(
                                    socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/open/unknown-id", "/open/has%20space", "/open/", "/open/%E2%82%AC"})
    void open_unknownOrMalformedId_answersTheSameGif(String route) {
        HttpResponse<byte[]> response = getBytes(route);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(Pixel.GIF);
        assertPixelHeaders(response);
    }

    @Test
    void open_moreSegmentsAfterAKnownId_answerTheSameGif_andRecordNothing() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<byte[]> slash = getBytes(route(email.openUrl()) + "/");
        HttpResponse<byte[]> more = getBytes(route(email.openUrl()) + "/more/segments");
        HttpResponse<String> head = head(route(email.openUrl()) + "/x");

        for (HttpResponse<byte[]> response : List.of(slash, more)) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(Pixel.GIF);
            assertPixelHeaders(response);
        }
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Type")).contains("image/gif");
        assertThat(store.status(email.trackingId(), Page.NEWEST).orElseThrow().opens()).isEmpty();
    }

    @Test
    void open_tooLongId_answersTheSameGif() {
        HttpResponse<byte[]> response = getBytes("/open/" + "a".repeat(65));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(Pixel.GIF);
    }

    @Test
    void open_head_answersThePixelHeaders_andRecordsNothing() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response = head(route(email.openUrl()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("image/gif");
        assertThat(response.headers().firstValue("Cache-Control"))
                .contains("no-store, no-cache, must-revalidate, private, max-age=0");
        assertThat(counters(email).openCount()).isZero();
    }

    @Test
    void click_signedLink_redirectsWith302AndNoStore_andRecordsTheClick() {
        RegisteredEmail email = registerEmail("alice", PRODUCT);

        HttpResponse<String> response = get(route(email.clickUrls().get(PRODUCT)));

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).contains(PRODUCT);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(counters(email).clickCount()).isEqualTo(1);
    }

    @Test
    void click_head_redirectsWithoutRecording() {
        RegisteredEmail email = registerEmail("alice", PRODUCT);

        HttpResponse<String> response = head(route(email.clickUrls().get(PRODUCT)));

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).contains(PRODUCT);
        assertThat(counters(email).clickCount()).isZero();
    }

    @Test
    void click_missingRedirect_is400() {
        RegisteredEmail email = registerEmail("alice", PRODUCT);

        HttpResponse<String> response = get("/click/" + email.trackingId());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("success").asBoolean()).isFalse();
        assertThat(json(response).get("message").asText()).contains("redirect");
    }

    @Test
    void click_redirectGivenTwice_is400WithoutLocation_andRecordsNothing() {
        RegisteredEmail email = registerEmail("alice", PRODUCT);
        String evil = URLEncoder.encode("https://evil.example/phish", StandardCharsets.UTF_8);

        HttpResponse<String> response =
                get(route(email.clickUrls().get(PRODUCT)) + "&redirect=" + evil);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText())
                .isEqualTo("the query parameter \"redirect\" is given more than once");
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(counters(email).clickCount()).isZero();
    }

    @Test
    void click_repeatedParameterItDoesNotRead_redirects() {
        RegisteredEmail email = registerEmail("alice", PRODUCT);

        HttpResponse<String> response =
                get(route(email.clickUrls().get(PRODUCT)) + "&utm_source=a&utm_source=b");

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).contains(PRODUCT);
    }

    @Test
    void click_unsignedForeignTarget_is400WithoutLocation_andRecordsNothing() {
        RegisteredEmail email = registerEmail("alice", PRODUCT);
        String evil = URLEncoder.encode("https://evil.example/phish", StandardCharsets.UTF_8);

        HttpResponse<String> response = get("/click/" + email.trackingId() + "?redirect=" + evil);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(counters(email).clickCount()).isZero();
    }

    @Test
    void click_signatureOfAnotherTarget_is400() {
        RegisteredEmail email = registerEmail("alice", PRODUCT);
        String clickRoute = route(email.clickUrls().get(PRODUCT));
        String forged =
                clickRoute.replace(
                        URLEncoder.encode(PRODUCT, StandardCharsets.UTF_8),
                        URLEncoder.encode("https://evil.example/", StandardCharsets.UTF_8));

        HttpResponse<String> response = get(forged);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void click_registeredLinkWithoutSignature_redirects() {
        RegisteredEmail email = registerEmail("alice", PRODUCT);
        String target = URLEncoder.encode(PRODUCT, StandardCharsets.UTF_8);

        HttpResponse<String> response = get("/click/" + email.trackingId() + "?redirect=" + target);

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).contains(PRODUCT);
    }

    @Test
    void click_unknownIdWithoutSignature_is404() {
        String target = URLEncoder.encode(PRODUCT, StandardCharsets.UTF_8);

        HttpResponse<String> response = get("/click/unknown?redirect=" + target);

        assertThat(response.statusCode()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://example.com/a?x=1&y=2#section-3",
                "https://example.com/path%2Fwith%2Fescapes?q=%E2%82%AC",
                "https://example.com/search?tags[]=a&tags[]=b",
                "https://example.com/o'reilly:books",
                "http://example.com:8080/",
                "https://example.com/?redirect=https%3A%2F%2Fother.example%2F"
            })
    void click_targetSurvivesTheRoundTripByteForByte(String target) {
        RegisteredEmail email = registerEmail("alice", target);

        HttpResponse<String> response = get(route(email.clickUrls().get(target)));

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).contains(target);
        assertThat(store.status(email.trackingId(), Page.NEWEST).orElseThrow().clicks())
                .singleElement()
                .satisfies(click -> assertThat(click.url()).isEqualTo(target));
    }

    @Test
    void click_nonAsciiTarget_isEncodedOnceInLocation_andRecordedAsSent() {
        String target = "https://example.com/café?q=naïve";
        RegisteredEmail email = registerEmail("alice", target);

        HttpResponse<String> response = get(route(email.clickUrls().get(target)));

        assertThat(response.headers().firstValue("Location"))
                .contains("https://example.com/caf%C3%A9?q=na%C3%AFve");
        assertThat(store.status(email.trackingId(), Page.NEWEST).orElseThrow().clicks())
                .singleElement()
                .satisfies(click -> assertThat(click.url()).isEqualTo(target));
    }

    @Test
    void click_malformedEscapeInQuery_is400Json() throws IOException {
        RegisteredEmail email = registerEmail("alice", PRODUCT);
        String target = TrackingTestServer.MOUNT + "/click/" + email.trackingId() + "?redirect=%zz";

        RawHttp.Answer answer = RawHttp.get(server.port(), target);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("\"success\":false");
    }

    @Test
    void reply_countAsNumber_isTracked() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response =
                post(
                        "/reply/" + email.trackingId(),
                        "{\"replyMessage\":\"Thanks!\",\"attachmentCount\":2}",
                        "Content-Type",
                        "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .isEqualTo("{\"success\":true,\"message\":\"Reply tracked successfully\"}");
        assertThat(counters(email).replied()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"attachmentCount\":\"2\"}",
                "{\"attachmentCount\":\" 3 \"}",
                "{\"attachmentCount\":2.0}",
                "{\"attachmentCount\":2E0}",
                "{\"replyMessage\":\"hi\"}",
                "{}",
                "",
                "null",
                "{\"attachmentCount\":\"\"}",
                "{\"replyMessage\":null,\"attachmentCount\":null,\"extra\":[1,2]}"
            })
    void reply_documentedShapes_areTracked(String body) {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response = post("/reply/" + email.trackingId(), body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(counters(email).replied()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"2.0, 2", "2E0, 2", "0.0, 0", "-0.0, 0", "2147483647.0, 2147483647"})
    void attachmentCount_wholeNumberWithAFractionOrExponent_isThatNumber(String json, int count)
            throws IOException {
        assertThat(PublicRoutes.attachmentCount(new ObjectMapper().readTree(json)))
                .isEqualTo(count);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"attachmentCount\":-1}",
                "{\"attachmentCount\":2.5}",
                "{\"attachmentCount\":-1.0}",
                "{\"attachmentCount\":1E10}",
                "{\"attachmentCount\":1e99999}",
                "{\"attachmentCount\":2.0000000000000001}",
                "{\"attachmentCount\":1e-400}",
                "{\"attachmentCount\":-1e-400}",
                "{\"attachmentCount\":1E-2147483648}",
                "{\"attachmentCount\":1E-2147483649}",
                "{\"attachmentCount\":\"two\"}",
                "{\"attachmentCount\":[2]}",
                "{\"replyMessage\":{\"body\":\"x\"}}",
                "{\"replyMessage\":",
                "[1,2,3]",
                "{\"a\":1} trailing",
                "not json at all"
            })
    void reply_badBody_is400WithAMessage_andRecordsNothing(String body) {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response = post("/reply/" + email.trackingId(), body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("success").asBoolean()).isFalse();
        assertThat(json(response).get("message").asText())
                .isNotBlank()
                .doesNotContain("java.", "com.fasterxml", "Exception");
        assertThat(counters(email).replied()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2147483648", "\"2147483648\"", "\"99999999999\""})
    void reply_countPastTheLargest_is400NamingTheRange(String count) {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response =
                post("/reply/" + email.trackingId(), "{\"attachmentCount\":" + count + "}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText())
                .isEqualTo(
                        "attachmentCount must be a whole number from 0 to 2147483647, or a string"
                                + " holding one");
    }

    @Test
    void reply_largestCountAsAString_isTracked() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response =
                post("/reply/" + email.trackingId(), "{\"attachmentCount\":\"2147483647\"}");

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/reply/", "/reply-attachment/", "/unsubscribe/"})
    void bodyWithTwoContentTypes_is400_andRecordsNothing(String route) {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response =
                post(
                        route + email.trackingId(),
                        BodyPublishers.ofString("{}"),
                        "Content-Type",
                        "application/json",
                        "Content-Type",
                        "application/json; charset=latin1");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText())
                .isEqualTo("Content-Type must be given once, not several times");
        assertThat(counters(email).replied()).isFalse();
        assertThat(counters(email).unsubscribedAt()).isNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/reply/ | application/json; charset=bogus | 415 | charset is not supported",
                "/reply-attachment/ | multipart/form-data; charset=bogus; boundary=X | 415"
                        + " | charset is not supported",
                "/reply-attachment/ | multipart/form-data; charset=UTF-16; boundary=X | 415"
                        + " | charset is not supported",
                "/reply-attachment/ | application/json; charset=x:y | 415 | charset is not"
                        + " supported",
                "/unsubscribe/ | application/x-www-form-urlencoded; charset=bogus | 415"
                        + " | charset is not supported",
                "/unsubscribe/ | multipart/form-data; charset=UTF-16; boundary=X | 415"
                        + " | charset is not supported",
                "/unsubscribe/ | multipart/form-data; boundary=X; charset=UTF-8; charset=UTF-16"
                        + " | 400 | must name its charset once",
                "/reply-attachment/ | multipart/form-data; boundary=Y; boundary=X | 400"
                        + " | must name its boundary once",
                "/reply/ | application/json; charset=utf-8; charset=x | 400 | must name its charset"
            })
    void bodyDeclaredInACharsetItCannotBeReadIn_isRefused_andRecordsNothing(
            String route, String contentType, int status, String message) {
        RegisteredEmail email = registerEmail("alice");
        String body =
                "--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n"
                        + "One-Click\r\n--X--\r\n";

        HttpResponse<String> response =
                post(route + email.trackingId(), body, "Content-Type", contentType);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(json(response).get("message").asText()).contains(message);
        assertThat(counters(email).replied()).isFalse();
        assertThat(counters(email).unsubscribedAt()).isNull();
        assertThat(store.status(email.trackingId(), Page.NEWEST).orElseThrow().attachments())
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ef bb bf",
                "ef bb bf 0a",
                "ff fe",
                "fe ff",
                "20 00 0a 00",
                "00 20",
                "ff fe 00 00"
            })
    void reply_bodyOfNothingButAByteOrderMarkOrWhiteSpace_countsAsEmpty(String hex) {
        RegisteredEmail email = registerEmail("alice");
        byte[] body = HexFormat.ofDelimiter(" ").parseHex(hex);

        HttpResponse<String> response =
                post("/reply/" + email.trackingId(), BodyPublishers.ofByteArray(body));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(counters(email).replied()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-16LE", "UTF-16BE", "UTF-32BE"})
    void reply_bodyInAnotherEncodingAfterAUtf8ByteOrderMark_is400(String encoding) {
        RegisteredEmail email = registerEmail("alice");
        byte[] marked =
                encodedAround(
                        "",
                        new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                        "{\"replyMessage\":\"hi\"}",
                        Charset.forName(encoding));

        HttpResponse<String> response = postJson("/reply/" + email.trackingId(), marked);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(counters(email).replied()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "UTF-32BE, 0, 17, 0, 0",
        "UTF-32LE, 0, 0, 17, 0",
        "UTF-16LE, 0, -40, 0, 0",
        "UTF-32BE, 0, 0, -40, 61",
        "UTF-32LE, 61, -40, 0, 0"
    })
    void reply_bodyThatIsNoTextInItsEncoding_is400SayingSo_andRecordsNothing(
            String encoding, byte b0, byte b1, byte b2, byte b3) {
        RegisteredEmail email = registerEmail("alice");
        byte[] body =
                encodedAround(
                        "{\"replyMessage\":\"A",
                        new byte[] {b0, b1, b2, b3},
                        "B\"}",
                        Charset.forName(encoding));

        HttpResponse<String> response = postJson("/reply/" + email.trackingId(), body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText())
                .startsWith("request body is not valid text in the encoding its first bytes show");
        assertThat(counters(email).replied()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/reply/", "/reply-attachment/"})
    void bodyWhoseFirstBytesShowNoUnicodeEncoding_is400SayingSo(String route) {
        RegisteredEmail email = registerEmail("alice");
        byte[] body = {0, 0, '{', 0, 0, 0, '}', 0};

        HttpResponse<String> response = postJson(route + email.trackingId(), body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText())
                .startsWith("request body is not valid text in the encoding its first bytes show");
        assertThat(counters(email).replied()).isFalse();
    }

    @Test
    void reply_unknownId_is404() {
        HttpResponse<String> response = post("/reply/unknown", "{}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("success").asBoolean()).isFalse();
    }

    @Test
    void reminderSent_knownId_isMarked() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response = post("/reminder-sent/" + email.trackingId(), "");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .isEqualTo("{\"success\":true,\"message\":\"Reminder marked as sent\"}");
        assertThat(counters(email).reminderSent()).isTrue();
    }

    @Test
    void reminderSent_unknownId_is404() {
        assertThat(post("/reminder-sent/unknown", "").statusCode()).isEqualTo(404);
    }

    @Test
    void unknownRoute_is404Json() {
        HttpResponse<String> response = get("/nothing/here");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("success").asBoolean()).isFalse();
    }

    @Test
    void wrongMethod_is405WithAllow() {
        HttpResponse<String> response = post("/open/abc", "");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).contains("GET, HEAD");
        assertThat(json(response).get("success").asBoolean()).isFalse();
    }

    private EmailCounters counters(RegisteredEmail email) {
        TrackingId id = email.trackingId();
        return store.status(id, Page.NEWEST).orElseThrow().counters();
    }

    private static void assertPixelHeaders(HttpResponse<?> response) {
        assertThat(response.headers().firstValue("Content-Type")).contains("image/gif");
        assertThat(response.headers().firstValue("Cache-Control"))
                .contains("no-store, no-cache, must-revalidate, private, max-age=0");
        assertThat(response.headers().firstValue("Pragma")).contains("no-cache");
        assertThat(response.headers().firstValue("Expires")).contains("0");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(response.headers().firstValue("ETag")).isEmpty();
        assertThat(response.headers().firstValue("Last-Modified")).isEmpty();
        assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
    }
}
