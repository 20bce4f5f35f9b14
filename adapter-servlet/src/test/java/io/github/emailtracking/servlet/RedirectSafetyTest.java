package io.github.emailtracking.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.emailtracking.api.Page;
import io.github.emailtracking.core.RegisteredEmail;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The click route is never an open redirect: targets that were not signed or registered for the
 * email, or that are not plain http(s) URLs, are refused with a JSON 400 and no Location, even when
 * they carry a valid signature of another link.
 */
class RedirectSafetyTest extends RouteTestSupport {

    static Stream<String> refusedTargets() {
        return Stream.of(
                "javascript:alert(1)",
                "JavaScript:alert(document.cookie)",
                " javascript:alert(1)",
                "java\tscript:alert(1)",
                "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
                "vbscript:msgbox(1)",
                "file:///etc/passwd",
                "ftp://evil.example/",
                "mailto:victim@example.com",
                "intent://evil.example#Intent;scheme=https;end",
                "//evil.example/",
                "///evil.example/",
                "/\\evil.example/",
                "\\\\evil.example\\",
                "https:\\\\evil.example",
                "https:/\\evil.example",
                "https://evil.example\\@example.com/",
                "http:evil.example",
                "https:evil.example",
                "https://",
                "https://:443/",
                "https://[::1",
                "https://evil.example:99999/",
                "https://evil.example/",
                "http://evil.example/product",
                "https://example.com.evil.example/product",
                "https://example.com@evil.example/product",
                "https://evil.example/%0d%0aSet-Cookie:%20x=1",
                "https://evil.example/\r\nSet-Cookie: x=1",
                "https://example.com/product\r\nLocation: https://evil.example/",
                "https://example.com/product\n",
                "https://example.com/\u0000product",
                "\u0000https://example.com/product",
                "https://example.com/\u202Etcudorp",
                "https://example.com/\u0085",
                "https://EXAMPLE.com/product",
                "https://example.com/Product",
                "https://example.com/product/",
                "https://example.com/" + "a".repeat(5000),
                "   ");
    }

    @ParameterizedTest
    @MethodSource("refusedTargets")
    void click_refusedTarget_is400WithoutLocation_signedOrNot(String target) throws IOException {
        RegisteredEmail email = registerEmail("alice", PRODUCT);
        String otherSignature = signatureOf(email.clickUrls().get(PRODUCT));

        for (String signature : new String[] {null, otherSignature, "", "garbage"}) {
            RawHttp.Answer answer =
                    RawHttp.get(server.port(), clickTarget(email, target, signature));

            assertThat(answer.status()).as("status for %s", target).isEqualTo(400);
            assertThat(answer.text()).doesNotContainIgnoringCase("\r\nLocation:");
            assertThat(answer.body()).contains("\"success\":false");
        }
        assertThat(store.status(email.trackingId(), Page.NEWEST).orElseThrow().clicks()).isEmpty();
    }

    static Stream<Arguments> legitimateTargets() {
        return Stream.of(
                Arguments.of(
                        "https://example.com/page#section-2", "https://example.com/page#section-2"),
                Arguments.of(
                        "https://example.com/a?x=1&y=2&z=", "https://example.com/a?x=1&y=2&z="),
                Arguments.of(
                        "https://example.com/a%2Fb%20c?q=%E2%82%AC",
                        "https://example.com/a%2Fb%20c?q=%E2%82%AC"),
                Arguments.of(
                        "https://example.com/list?ids[]=1&ids[]=2",
                        "https://example.com/list?ids[]=1&ids[]=2"),
                Arguments.of(
                        "https://example.com/o'brien:notes", "https://example.com/o'brien:notes"),
                Arguments.of(
                        "https://[2001:db8::7]:8443/x?y#z", "https://[2001:db8::7]:8443/x?y#z"),
                Arguments.of("HTTPS://Example.COM/Mixed/Case", "HTTPS://Example.COM/Mixed/Case"),
                Arguments.of(
                        "https://example.com/?next=https%3A%2F%2Fexample.com%2F%3Fa%3Db%26c%3Dd",
                        "https://example.com/?next=https%3A%2F%2Fexample.com%2F%3Fa%3Db%26c%3Dd"),
                Arguments.of(
                        "https://example.com/straße?ü=1#ö",
                        "https://example.com/stra%C3%9Fe?%C3%BC=1#%C3%B6"),
                Arguments.of(
                        "https://bücher.example/katalog", "https://xn--bcher-kva.example/katalog"),
                Arguments.of("https://example.com/a+b?c=d+e", "https://example.com/a+b?c=d+e"),
                Arguments.of(
                        "https://example.com/%F0%9F%98%80/emoji😀",
                        "https://example.com/%F0%9F%98%80/emoji%F0%9F%98%80"));
    }

    @ParameterizedTest
    @MethodSource("legitimateTargets")
    void click_legitimateTarget_roundTripsByteForByte(String target, String location)
            throws IOException {
        RegisteredEmail email = registerEmail("alice", target);

        RawHttp.Answer answer =
                RawHttp.get(
                        server.port(),
                        TrackingTestServer.MOUNT + route(email.clickUrls().get(target)));

        assertThat(answer.status()).isEqualTo(302);
        assertThat(answer.hasHeader("Location", location)).as(answer.text()).isTrue();
        assertThat(store.status(email.trackingId(), Page.NEWEST).orElseThrow().clicks())
                .singleElement()
                .satisfies(click -> assertThat(click.url()).isEqualTo(target));
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "//evil.example/", "https://evil.example\\@x/"})
    void registerEmail_refusedTarget_isNotAccepted(String target) {
        String body =
                "{\"recipientEmail\":\"a@example.com\",\"links\":[\""
                        + target.replace("\\", "\\\\")
                        + "\"]}";
        String campaignId = tracker.createCampaign("alice", "x").id().value();

        var response =
                post(
                        "/campaigns/" + campaignId + "/emails",
                        body,
                        "Authorization",
                        bearer(Tokens.owner("alice")));

        assertThat(response.statusCode()).isEqualTo(400);
    }

    private static String clickTarget(RegisteredEmail email, String target, String signature) {
        String path =
                TrackingTestServer.MOUNT
                        + "/click/"
                        + email.trackingId()
                        + "?redirect="
                        + URLEncoder.encode(target, StandardCharsets.UTF_8);
        return signature == null ? path : path + "&sig=" + signature;
    }

    private static String signatureOf(String clickUrl) {
        return clickUrl.substring(clickUrl.indexOf("&sig=") + 5);
    }
}
