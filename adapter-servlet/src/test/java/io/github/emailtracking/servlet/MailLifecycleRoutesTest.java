package io.github.emailtracking.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.emailtracking.api.EmailCounters;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.core.RegisteredEmail;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bounces, one-click unsubscribes and replies matched by their headers, retries included. */
class MailLifecycleRoutesTest extends RouteTestSupport {

    @Test
    void bounce_softThenHard_areRecorded_andCountTheEmailOnce() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> soft =
                post(
                        "/bounce/" + email.trackingId(),
                        "{\"type\":\"soft\",\"reason\":\"mailbox full\"}");
        HttpResponse<String> hard =
                post(
                        "/bounce/" + email.trackingId(),
                        "{\"type\":\"HARD\",\"reason\":\"no such user\"}");

        assertThat(soft.statusCode()).isEqualTo(200);
        assertThat(hard.statusCode()).isEqualTo(200);
        assertThat(hard.body()).isEqualTo("{\"success\":true,\"message\":\"Bounce recorded\"}");
        assertThat(counters(email).bouncedAt()).isEqualTo(NOW);
        assertThat(campaignReport(email).get("bounceCount").asLong()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"type\":\"bouncy\"}", "{\"type\":1}"})
    void bounce_withoutAValidType_is400(String body) {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response = post("/bounce/" + email.trackingId(), body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(counters(email).bouncedAt()).isNull();
    }

    @Test
    void bounce_unknownId_is404() {
        assertThat(post("/bounce/unknown", "{\"type\":\"hard\"}").statusCode()).isEqualTo(404);
    }

    @Test
    void unsubscribe_get_showsAConfirmationPage_andChangesNothing() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> page = get(route(email.unsubscribeUrl()));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html;charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .get()
                .asString()
                .contains("default-src 'none'");
        assertThat(page.body())
                .contains("<form method=\"post\">")
                .contains("name=\"List-Unsubscribe\" value=\"One-Click\"");
        assertThat(counters(email).unsubscribedAt()).isNull();
    }

    @Test
    void unsubscribe_head_changesNothing() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response = head(route(email.unsubscribeUrl()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(counters(email).unsubscribedAt()).isNull();
    }

    @Test
    void unsubscribe_oneClickPost_asMailProvidersSendIt_unsubscribes() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response =
                post(
                        route(email.unsubscribeUrl()),
                        "List-Unsubscribe=One-Click",
                        "Content-Type",
                        "application/x-www-form-urlencoded");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(counters(email).unsubscribedAt()).isNotNull();
    }

    @Test
    void status_saysWhenTheRecipientBouncedAndUnsubscribed() {
        RegisteredEmail email = registerEmail("alice");
        RegisteredEmail other = registerEmail("alice");
        post("/bounce/" + email.trackingId(), "{\"type\":\"soft\",\"reason\":\"full\"}");
        post(
                route(email.unsubscribeUrl()),
                "List-Unsubscribe=One-Click",
                "Content-Type",
                "application/x-www-form-urlencoded");

        JsonNode tracking = statusAsAlice(email).get("tracking");
        JsonNode untouched = statusAsAlice(other).get("tracking");

        assertThat(tracking.get("bouncedAt").asText())
                .isEqualTo(counters(email).bouncedAt().toString());
        assertThat(tracking.get("unsubscribedAt").asText())
                .isEqualTo(counters(email).unsubscribedAt().toString());
        assertThat(untouched.get("bouncedAt").isNull()).isTrue();
        assertThat(untouched.get("unsubscribedAt").isNull()).isTrue();
    }

    @Test
    void unsubscribe_confirmationButton_answersAPage() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response =
                post(
                        route(email.unsubscribeUrl()),
                        "List-Unsubscribe=One-Click",
                        "Content-Type",
                        "application/x-www-form-urlencoded",
                        "Accept",
                        "text/html");

        assertThat(response.body()).contains("You are unsubscribed");
        assertThat(counters(email).unsubscribedAt()).isNotNull();
    }

    @Test
    void unsubscribe_multipartOneClickPost_unsubscribes() {
        RegisteredEmail email = registerEmail("alice");
        byte[] body = new Multipart().field("List-Unsubscribe", "One-Click").build();

        HttpResponse<String> response =
                postMultipart(route(email.unsubscribeUrl()), BodyPublishers.ofByteArray(body));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(counters(email).unsubscribedAt()).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"\" List-Unsubscribe\"", "\"List-Unsubscribe \"", "\"List-Unsubscribe\t\""})
    void unsubscribe_multipartFieldNamedWithBlanksAround_is400(String name) {
        RegisteredEmail email = registerEmail("alice");
        String body =
                "--"
                        + Multipart.BOUNDARY
                        + "\r\nContent-Disposition: form-data; name="
                        + name
                        + "\r\n\r\nOne-Click\r\n--"
                        + Multipart.BOUNDARY
                        + "--\r\n";

        HttpResponse<String> response =
                postMultipart(route(email.unsubscribeUrl()), BodyPublishers.ofString(body));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(counters(email).unsubscribedAt()).isNull();
    }

    @Test
    void unsubscribe_multipartFieldThatGoesOnAfterOneClick_is400_andChangesNothing() {
        RegisteredEmail email = registerEmail("alice");
        byte[] body =
                new Multipart()
                        .field("List-Unsubscribe", "One-Click" + " ".repeat(60) + "GARBAGE")
                        .build();

        HttpResponse<String> response =
                postMultipart(route(email.unsubscribeUrl()), BodyPublishers.ofByteArray(body));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(counters(email).unsubscribedAt()).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "List-Unsubscribe%3DOne-Click",
                "List-Unsubscribe=One-Click\u001f",
                "List-Unsubscribe=One-ClickX",
                "List-Unsubscribe=one-click",
                " List-Unsubscribe=One-Click"
            })
    void unsubscribe_formBodyThatIsNotExactlyTheOneClickField_is400(String body) {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response = post(route(email.unsubscribeUrl()), body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(counters(email).unsubscribedAt()).isNull();
    }

    @Test
    void unsubscribe_formBodyWithBlanksAroundTheValue_unsubscribes() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response =
                post(route(email.unsubscribeUrl()), "x=1&List-Unsubscribe=%20One-Click\r\n");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(counters(email).unsubscribedAt()).isNotNull();
    }

    @Test
    void unsubscribe_postWithoutTheOneClickBody_is400_andChangesNothing() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response = post(route(email.unsubscribeUrl()), "");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(counters(email).unsubscribedAt()).isNull();
    }

    @Test
    void unsubscribe_bodyOverItsLimit_is413_sayingSo_whetherItsLengthIsDeclaredOrNot() {
        RegisteredEmail email = registerEmail("alice");
        // Over the limit, and short enough to be read before the answer: a client still sending
        // a longer body may see its connection reset before it reads the answer.
        String body = "x=1&".repeat(5_000) + "List-Unsubscribe=One-Click";
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);

        HttpResponse<String> declared = post(route(email.unsubscribeUrl()), body);
        HttpResponse<String> chunked =
                post(
                        route(email.unsubscribeUrl()),
                        BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)));

        for (HttpResponse<String> response : List.of(declared, chunked)) {
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(json(response).get("message").asText())
                    .isEqualTo(
                            "an unsubscribe request's body is larger than the limit of 8192"
                                    + " bytes");
        }
        assertThat(counters(email).unsubscribedAt()).isNull();
    }

    @Test
    void unsubscribe_multipartBodyOverItsLimit_is413_evenWithTheOneClickPartFirst() {
        RegisteredEmail email = registerEmail("alice");
        byte[] body =
                new Multipart()
                        .field("List-Unsubscribe", "One-Click")
                        .field("x", "y".repeat(20_000))
                        .build();

        HttpResponse<String> response =
                postMultipart(
                        route(email.unsubscribeUrl()),
                        BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(counters(email).unsubscribedAt()).isNull();
    }

    @Test
    void unsubscribe_unknownId_is404_asAPageForBrowsers() {
        HttpResponse<String> page = get("/unsubscribe/unknown");
        HttpResponse<String> post =
                post("/unsubscribe/unknown", "List-Unsubscribe=One-Click", "Accept", "text/html");
        HttpResponse<String> postWithoutTheField =
                post("/unsubscribe/unknown", "a=b", "Accept", "text/html");

        assertThat(postWithoutTheField.statusCode()).isEqualTo(404);
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.body()).contains("not valid");
        assertThat(post.statusCode()).isEqualTo(404);
        assertThat(post.body()).contains("not valid");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/x", "/x/y"})
    void unsubscribe_pathGoingOnAfterTheId_is404_asAPageForBrowsers(String after) {
        RegisteredEmail email = registerEmail("alice");
        String path = "/unsubscribe/" + email.trackingId() + after;

        HttpResponse<String> page = get(path);
        HttpResponse<String> post = post(path, "List-Unsubscribe=One-Click", "Accept", "text/html");

        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.body()).contains("not valid");
        assertThat(post.statusCode()).isEqualTo(404);
        assertThat(post.body()).contains("not valid");
        assertThat(counters(email).unsubscribedAt()).isNull();
    }

    @Test
    void reply_byInReplyToHeader_isMatched_andNamesTheTrackingId() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response =
                post(
                        "/reply",
                        "{\"inReplyTo\":\"" + email.messageId() + "\",\"replyMessage\":\"Yes\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("trackingId").asText()).isEqualTo(email.trackingId().value());
        assertThat(counters(email).replied()).isTrue();
    }

    @Test
    void reply_byReferencesHeader_isMatched() {
        RegisteredEmail email = registerEmail("alice");
        String references = "<a@x.example> " + email.messageId() + " <b@x.example>";

        HttpResponse<String> response = post("/reply", "{\"references\":\"" + references + "\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(counters(email).replied()).isTrue();
    }

    @Test
    void reply_longThreadWithTheTrackedIdLastInReferences_isMatched() {
        RegisteredEmail email = registerEmail("alice");
        StringBuilder references = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            references.append("<older-").append(i).append("@x.example> ");
        }
        references.append(email.messageId());

        HttpResponse<String> response = post("/reply", "{\"references\":\"" + references + "\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(counters(email).replied()).isTrue();
    }

    @Test
    void reply_withHeadersOfNoTrackedMail_is404_andWithoutHeaders400() {
        HttpResponse<String> unknown = post("/reply", "{\"inReplyTo\":\"<nobody@x.example>\"}");
        HttpResponse<String> none = post("/reply", "{\"replyMessage\":\"hi\"}");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(none.statusCode()).isEqualTo(400);
    }

    @Test
    void reply_retriedWithTheSameMessageId_isAnswered200_andStoredOnce() {
        RegisteredEmail email = registerEmail("alice");
        String body = "{\"replyMessage\":\"Yes\",\"messageId\":\"<AAMkAGI2@outlook.example>\"}";

        HttpResponse<String> first = post("/reply/" + email.trackingId(), body);
        HttpResponse<String> retry = post("/reply/" + email.trackingId(), body);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(retry.statusCode()).isEqualTo(200);
        String campaignId = store.findEmail(email.trackingId()).orElseThrow().campaignId().value();
        HttpResponse<String> report =
                get("/campaign/" + campaignId, "Authorization", bearer(Tokens.owner("alice")));
        assertThat(json(report).get("engagementTimeline").get(0).get("replies").asLong())
                .isEqualTo(1);
    }

    private EmailCounters counters(RegisteredEmail email) {
        return store.status(email.trackingId(), Page.NEWEST).orElseThrow().counters();
    }

    private JsonNode campaignReport(RegisteredEmail email) {
        String campaignId = store.findEmail(email.trackingId()).orElseThrow().campaignId().value();
        HttpResponse<String> report =
                get("/campaign/" + campaignId, "Authorization", bearer(Tokens.owner("alice")));
        return json(report).get("campaign");
    }

    /** Posts a multipart body; one published from a stream is sent in chunks, of no length. */
    private HttpResponse<String> postMultipart(String route, BodyPublisher body) {
        return send(request(route, "Content-Type", Multipart.CONTENT_TYPE).POST(body).build());
    }
}
