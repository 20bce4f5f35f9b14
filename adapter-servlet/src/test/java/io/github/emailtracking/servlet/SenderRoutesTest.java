package io.github.emailtracking.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.TrackingId;
import io.github.emailtracking.core.EmailTracker;
import java.io.IOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SenderRoutesTest extends RouteTestSupport {

    private final String alice = bearer(Tokens.owner("alice"));

    @Test
    void createCampaign_answers201WithItsId() {
        HttpResponse<String> response =
                post(
                        "/campaigns",
                        "{\"campaignName\":\"Welcome Campaign\"}",
                        "Authorization",
                        alice);

        JsonNode body = json(response);
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(body.get("campaign").get("campaignName").asText()).isEqualTo("Welcome Campaign");
        assertThat(
                        store.findCampaign(
                                new io.github.emailtracking.api.CampaignId(
                                        body.get("campaign").get("campaignId").asText())))
                .get()
                .satisfies(campaign -> assertThat(campaign.owner()).isEqualTo("alice"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"campaignName\":\"  \"}", "{\"campaignName\":42}", ""})
    void createCampaign_withoutAName_is400(String body) {
        HttpResponse<String> response = post("/campaigns", body, "Authorization", alice);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText()).contains("campaignName");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"campaignName\":\"\\ud800\"} | campaignName",
                "{\"campaignName\":\"a\\udc00b\"} | campaignName",
                "{\"campaignName\":\"ok\",\"extra\":[\"\\ud83d\"]} | extra[0]"
            })
    void createCampaign_halfASurrogatePair_is400NamingTheField(String bodyAndField) {
        String[] parts = bodyAndField.split(" \\| ");

        HttpResponse<String> response = post("/campaigns", parts[0], "Authorization", alice);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText())
                .isEqualTo(
                        "field '"
                                + parts[1]
                                + "' holds half of a surrogate pair; text must be valid Unicode");
    }

    @Test
    void registerEmail_wrongTypeInAList_orMoreAfterTheBody_is400SayingWhere() {
        String campaignId = createCampaign(alice);
        String emails = "/campaigns/" + campaignId + "/emails";

        HttpResponse<String> nested =
                post(
                        emails,
                        "{\"recipientEmail\":\"a@b.c\",\"links\":[[1]]}",
                        "Authorization",
                        alice);
        HttpResponse<String> twice =
                post(emails, "{\"recipientEmail\":\"a@b.c\"}{}", "Authorization", alice);

        assertThat(json(nested).get("message").asText())
                .isEqualTo("field 'links[0]' has the wrong type: expected a string");
        assertThat(json(twice).get("message").asText())
                .isEqualTo("request body goes on after its JSON value");
        assertThat(List.of(nested.statusCode(), twice.statusCode())).containsOnly(400);
    }

    @Test
    void createCampaign_compressedBodyBehindAnIdentityHeader_is415() {
        HttpResponse<String> response =
                post(
                        "/campaigns",
                        "{\"campaignName\":\"a\"}",
                        "Authorization",
                        alice,
                        "Content-Encoding",
                        "identity",
                        "Content-Encoding",
                        "gzip");

        assertThat(response.statusCode()).isEqualTo(415);
    }

    @Test
    void createCampaign_bodyWithATransferCodingButChunked_is415() throws IOException {
        String json = "{\"campaignName\":\"a\"}";
        String head =
                "POST "
                        + TrackingTestServer.MOUNT
                        + "/campaigns HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                        + alice
                        + "\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n";
        String chunked = Integer.toHexString(json.length()) + "\r\n" + json + "\r\n0\r\n\r\n";

        RawHttp.Answer answer =
                RawHttp.send(server.port(), head, chunked.getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.body())
                .contains(
                        "request body must not be compressed; a Transfer-Encoding other than"
                                + " chunked is not supported");
    }

    @Test
    void createCampaign_fieldNamedTwice_is400() {
        HttpResponse<String> response =
                post(
                        "/campaigns",
                        "{\"campaignName\":\"a\",\"campaignName\":\"b\"}",
                        "Authorization",
                        alice);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText())
                .isEqualTo("request body names a field twice");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "application/json; charset=ISO-8859-1 | | 415",
                "application/json; charset=bogus | | 415",
                "application/json; charset=\"utf-8\" | | 201",
                "application/json; charset=UTF-16 | | 201",
                "application/x-www-form-urlencoded | | 201",
                "application/json | gzip | 415",
                "application/json | identity | 201"
            })
    void createCampaign_declaredCharsetOrEncoding_isReadOrRefused(
            String contentType, String encoding, int status) {
        List<String> headers =
                new ArrayList<>(List.of("Authorization", alice, "Content-Type", contentType));
        if (encoding != null) {
            headers.addAll(List.of("Content-Encoding", encoding));
        }
        byte[] body =
                "{\"campaignName\":\"Welcome\"}"
                        .getBytes(
                                contentType.endsWith("UTF-16")
                                        ? StandardCharsets.UTF_16
                                        : StandardCharsets.UTF_8);

        HttpResponse<String> response =
                post(
                        "/campaigns",
                        BodyPublishers.ofByteArray(body),
                        headers.toArray(String[]::new));

        assertThat(response.statusCode()).isEqualTo(status);
        if (status == 415) {
            assertThat(json(response).get("message").asText()).startsWith("request body must");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void createCampaign_bodyPastALimit_is400NamingTheLimits(int kind) {
        String body =
                switch (kind) {
                    case 0 -> "{\"campaignName\":\"x\",\"n\":" + "1".repeat(401) + "}";
                    case 1 ->
                            "{\"campaignName\":\"x\",\"n\":"
                                    + "[".repeat(40)
                                    + "]".repeat(40)
                                    + "}";
                    case 2 -> "{\"campaignName\":\"x\",\"" + "k".repeat(1_001) + "\":0}";
                    default -> "{\"campaignName\":\"x\",\"" + "\u00e9".repeat(501) + "\":0}";
                };

        HttpResponse<String> response = post("/campaigns", body, "Authorization", alice);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText())
                .isEqualTo(
                        "request body goes past a limit: at most 32 levels of nesting, numbers of"
                                + " at most 64 digits, and field names of at most 1,000 bytes in"
                                + " UTF-8");
    }

    @Test
    void createCampaign_withAPairedSurrogate_keepsTheCharacter() {
        HttpResponse<String> response =
                post(
                        "/campaigns",
                        "{\"campaignName\":\"Launch \\ud83d\\ude80\"}",
                        "Authorization",
                        alice);

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(json(response).get("campaign").get("campaignName").asText())
                .isEqualTo("Launch \uD83D\uDE80");
    }

    @Test
    void registerEmail_answers201WithUrlsThatWorkThroughTheServer() {
        String campaignId = createCampaign(alice);

        HttpResponse<String> response =
                post(
                        "/campaigns/" + campaignId + "/emails",
                        "{\"recipientEmail\":\"customer@example.com\","
                                + "\"sentAt\":\"2026-02-10T09:00:00Z\","
                                + "\"links\":[\""
                                + PRODUCT
                                + "\"]}",
                        "Authorization",
                        alice);
        JsonNode body = json(response);
        String clickUrl = body.get("clickUrls").get(PRODUCT).asText();
        HttpResponse<String> click = get(route(clickUrl));
        HttpResponse<byte[]> open = getBytes(route(body.get("openUrl").asText()));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(body.get("openUrl").asText())
                .isEqualTo(PUBLIC_BASE + "/open/" + body.get("trackingId").asText());
        assertThat(click.statusCode()).isEqualTo(302);
        assertThat(click.headers().firstValue("Location")).contains(PRODUCT);
        assertThat(open.body()).isEqualTo(Pixel.GIF);
        var counters =
                store.status(new TrackingId(body.get("trackingId").asText()), Page.NEWEST)
                        .orElseThrow();
        assertThat(counters.counters().openCount()).isEqualTo(1);
        assertThat(counters.counters().clickCount()).isEqualTo(1);
        assertThat(counters.email().sentAt()).hasToString("2026-02-10T09:00:00Z");
    }

    @Test
    void registerEmail_sentAtWithOffsetOrWithoutSeconds_isReadOrRefusedSayingWhatIsAsked() {
        String campaignId = createCampaign(alice);
        String route = "/campaigns/" + campaignId + "/emails";

        HttpResponse<String> offset =
                post(
                        route,
                        "{\"recipientEmail\":\"a@b.c\",\"sentAt\":\"2026-02-10T10:00:00+01:00\"}",
                        "Authorization",
                        alice);
        HttpResponse<String> noSeconds =
                post(
                        route,
                        "{\"recipientEmail\":\"b@b.c\",\"sentAt\":\"2026-02-10T09:00Z\"}",
                        "Authorization",
                        alice);

        assertThat(offset.statusCode()).isEqualTo(201);
        assertThat(noSeconds.statusCode()).isEqualTo(400);
        assertThat(json(noSeconds).get("message").asText())
                .isEqualTo(
                        "sentAt must be an ISO-8601 time with its seconds and offset, such as"
                                + " 2026-02-10T09:00:00Z or 2026-02-10T10:00:00+01:00");
    }

    @ParameterizedTest
    @CsvSource({
        "2026-02-10T09:15:00.Z, 400",
        "2026-02-10T09:15:00+00:00:01, 400",
        "2026-02-10T24:00:00Z, 400",
        "2026-02-10T09:15:00.1234567890Z, 400",
        "2026-02-10T09:15:00, 400",
        "2026-02-10t09:15:00.123456789z, 201",
        "2026-02-10T23:59:60Z, 201",
        "2026-02-10T10:15:60Z, 400",
        "20260-02-10T10:15:00Z, 400",
        "+02026-02-10T10:15:00Z, 400",
        "+2026-02-10T10:15:00Z, 400",
        "2026-02-10T10:15:00-05:45, 201"
    })
    void registerEmail_sentAt_isReadAsRfc3339WritesATime(String sentAt, int status) {
        String campaignId = createCampaign(alice);

        HttpResponse<String> response =
                post(
                        "/campaigns/" + campaignId + "/emails",
                        "{\"recipientEmail\":\"a@b.c\",\"sentAt\":\"" + sentAt + "\"}",
                        "Authorization",
                        alice);

        assertThat(response.statusCode()).isEqualTo(status);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "{\"recipientEmail\":\"not-an-address\"}",
                "{\"recipientEmail\":\"a@b.c\",\"sentAt\":\"yesterday\"}",
                "{\"recipientEmail\":\"a@b.c\",\"links\":[\"javascript:alert(1)\"]}",
                "{\"recipientEmail\":\"a@b.c\",\"links\":\"https://example.com\"}",
                "{\"recipientEmail\":\"a@b.c\",\"links\":[null]}"
            })
    void registerEmail_invalidBody_is400(String body) {
        String campaignId = createCampaign(alice);

        HttpResponse<String> response =
                post("/campaigns/" + campaignId + "/emails", body, "Authorization", alice);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("success").asBoolean()).isFalse();
    }

    @Test
    void registerEmail_inAnotherOwnersCampaign_is404() {
        String campaignId = createCampaign(alice);

        HttpResponse<String> response =
                post(
                        "/campaigns/" + campaignId + "/emails",
                        "{\"recipientEmail\":\"a@b.c\"}",
                        "Authorization",
                        bearer(Tokens.owner("bob")));

        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void registerEmail_withHtml_answersItInstrumented_withMessageIdAndUnsubscribeHeaders() {
        String campaignId = createCampaign(alice);
        String html =
                "<html><body><p>Hello</p><a href=\\\"" + PRODUCT + "\\\">View</a></body></html>";

        HttpResponse<String> response =
                post(
                        "/campaigns/" + campaignId + "/emails",
                        "{\"recipientEmail\":\"customer@example.com\",\"html\":\"" + html + "\"}",
                        "Authorization",
                        alice);

        JsonNode body = json(response);
        String trackingId = body.get("trackingId").asText();
        String clickUrl = body.get("clickUrls").get(PRODUCT).asText();
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(body.get("html").asText())
                .contains("href=\"" + clickUrl.replace("&", "&amp;") + "\"")
                .contains("<img src=\"" + body.get("openUrl").asText() + "\"");
        assertThat(body.get("messageId").asText())
                .isEqualTo("<" + trackingId + "@track.example.com>");
        assertThat(body.get("listUnsubscribe").asText())
                .isEqualTo("<" + PUBLIC_BASE + "/unsubscribe/" + trackingId + ">");
        assertThat(body.get("listUnsubscribePost").asText())
                .isEqualTo("List-Unsubscribe=One-Click");
        assertThat(get(route(clickUrl)).statusCode()).isEqualTo(302);
    }

    @Test
    void registerEmail_withoutHtml_answersNoHtmlField() {
        String campaignId = createCampaign(alice);

        HttpResponse<String> response =
                post(
                        "/campaigns/" + campaignId + "/emails",
                        "{\"recipientEmail\":\"a@b.c\"}",
                        "Authorization",
                        alice);

        assertThat(json(response).has("html")).isFalse();
    }

    @Test
    void registerEmail_withTheMailersMessageId_keepsIt_andRefusesItTwice() {
        String campaignId = createCampaign(alice);
        String body = "{\"recipientEmail\":\"a@b.c\",\"messageId\":\"<m-1@mailer.example>\"}";

        HttpResponse<String> first =
                post("/campaigns/" + campaignId + "/emails", body, "Authorization", alice);
        HttpResponse<String> second =
                post("/campaigns/" + campaignId + "/emails", body, "Authorization", alice);

        assertThat(json(first).get("messageId").asText()).isEqualTo("<m-1@mailer.example>");
        assertThat(second.statusCode()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z"})
    void registerEmail_sentAtOutOfRange_is400NamingIt(String sentAt) {
        String campaignId = createCampaign(alice);

        HttpResponse<String> response =
                post(
                        "/campaigns/" + campaignId + "/emails",
                        "{\"recipientEmail\":\"a@b.c\",\"sentAt\":\"" + sentAt + "\"}",
                        "Authorization",
                        alice);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText())
                .startsWith("sentAt must be from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z");
    }

    @Test
    void registerEmail_linkWhoseClickUrlIsTooLong_is400NamingTheLimit() {
        String campaignId = createCampaign(alice);
        String link = "https://example.com/" + "\u00fc".repeat(1400);

        HttpResponse<String> response =
                post(
                        "/campaigns/" + campaignId + "/emails",
                        "{\"recipientEmail\":\"a@b.c\",\"links\":[\"" + link + "\"]}",
                        "Authorization",
                        alice);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText())
                .contains("longer than " + EmailTracker.MAX_CLICK_URL_BYTES + " bytes")
                .contains("https://example.com/");
    }

    @Test
    void click_longestClickUrlAccepted_isFollowedWithABrowsersHeaders() {
        String campaignId = createCampaign(alice);
        String link = "https://example.com/" + "a/".repeat(1455);
        HttpResponse<String> registered =
                post(
                        "/campaigns/" + campaignId + "/emails",
                        "{\"recipientEmail\":\"a@b.c\",\"links\":[\"" + link + "\"]}",
                        "Authorization",
                        alice);
        String clickUrl = json(registered).get("clickUrls").get(link).asText();

        HttpResponse<String> click =
                get(
                        route(clickUrl),
                        "User-Agent",
                        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML,"
                                + " like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.0.0",
                        "Accept",
                        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
                                + "image/webp,image/apng,*/*;q=0.8,"
                                + "application/signed-exchange;v=b3;q=0.7",
                        "Accept-Language",
                        "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7,fr;q=0.6,nl;q=0.5,it;q=0.4",
                        "Sec-CH-UA",
                        "\"Chromium\";v=\"122\", \"Not(A:Brand\";v=\"24\", "
                                + "\"Microsoft Edge\";v=\"122\"",
                        "Referer",
                        "https://outlook.office.com/mail/inbox/id/" + "A".repeat(400));

        assertThat(clickUrl.length())
                .isBetween(
                        EmailTracker.MAX_CLICK_URL_BYTES - 100, EmailTracker.MAX_CLICK_URL_BYTES);
        assertThat(click.statusCode()).isEqualTo(302);
        assertThat(click.headers().firstValue("Location")).contains(link);
    }

    private String createCampaign(String authorization) {
        HttpResponse<String> response =
                post(
                        "/campaigns",
                        "{\"campaignName\":\"Welcome\"}",
                        "Authorization",
                        authorization);
        return json(response).get("campaign").get("campaignId").asText();
    }
}
