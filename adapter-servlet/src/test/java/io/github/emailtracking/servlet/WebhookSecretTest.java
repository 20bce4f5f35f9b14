package io.github.emailtracking.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.emailtracking.core.RegisteredEmail;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookSecretTest extends RouteTestSupport {

    private static final String SECRET = "a webhook secret of some length";

    @BeforeEach
    void requireSecret() throws Exception {
        restartWith(TrackingServlet.builder().hmacSecret(Tokens.SECRET).webhookSecret(SECRET));
    }

    @Test
    void webhooks_withTheSecret_areAccepted() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> reply =
                post("/reply/" + email.trackingId(), "{}", WebhookSecret.HEADER, SECRET);
        HttpResponse<String> reminder =
                post("/reminder-sent/" + email.trackingId(), "", WebhookSecret.HEADER, SECRET);

        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reminder.statusCode()).isEqualTo(200);
    }

    @Test
    void webhooks_withoutOrWithAWrongSecret_are401_andRecordNothing() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> none = post("/reply/" + email.trackingId(), "{}");
        HttpResponse<String> wrong =
                post(
                        "/reminder-sent/" + email.trackingId(),
                        "",
                        WebhookSecret.HEADER,
                        SECRET + "x");
        HttpResponse<String> upload =
                post(
                        "/reply-attachment/" + email.trackingId(),
                        "x",
                        "Content-Type",
                        Multipart.CONTENT_TYPE);

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(upload.statusCode()).isEqualTo(401);
        assertThat(json(none).get("message").asText()).contains(WebhookSecret.HEADER);
        // A 401 names what it asks for (RFC 9110): here the header, as its scheme.
        assertThat(List.of(none, wrong, upload))
                .allSatisfy(
                        answer ->
                                assertThat(answer.headers().firstValue("WWW-Authenticate"))
                                        .hasValue("X-Tracking-Secret realm=\"email-tracking\""));
        assertThat(
                        store.status(email.trackingId(), io.github.emailtracking.api.Page.NEWEST)
                                .orElseThrow()
                                .counters()
                                .replied())
                .isFalse();
    }

    @Test
    void webhook_withTheSecretTwice_is401_whicheverComesFirst() {
        RegisteredEmail email = registerEmail("alice");
        String route = "/reminder-sent/" + email.trackingId();

        HttpResponse<String> rightFirst =
                post(route, "", WebhookSecret.HEADER, SECRET, WebhookSecret.HEADER, SECRET + "x");
        HttpResponse<String> twiceRight =
                post(route, "", WebhookSecret.HEADER, SECRET, WebhookSecret.HEADER, SECRET);

        assertThat(rightFirst.statusCode()).isEqualTo(401);
        assertThat(twiceRight.statusCode()).isEqualTo(401);
        assertThat(json(rightFirst).get("message").asText())
                .isEqualTo(
                        "this webhook needs one X-Tracking-Secret header with the configured"
                                + " secret");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                " a webhook secret of some length",
                "a webhook secret of some length ",
                "a webhook secret\nof some length",
                "a webhook secret of s\u00f6me length"
            })
    void secretNoHeaderCouldCarry_isRefused(String secret) {
        assertThatThrownBy(() -> TrackingServlet.builder().webhookSecret(secret))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the webhook secret must be printable ASCII, without spaces at its ends");
    }

    @Test
    void nullSecret_isRefusedNamingIt() {
        assertThatThrownBy(() -> TrackingServlet.builder().webhookSecret(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("secret");
    }

    @Test
    void pixelAndClick_needNoSecret() {
        RegisteredEmail email = registerEmail("alice", PRODUCT);

        assertThat(getBytes(route(email.openUrl())).statusCode()).isEqualTo(200);
        assertThat(get(route(email.clickUrls().get(PRODUCT))).statusCode()).isEqualTo(302);
    }
}
