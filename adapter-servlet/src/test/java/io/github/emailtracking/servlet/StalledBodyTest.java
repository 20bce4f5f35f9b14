package io.github.emailtracking.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.emailtracking.api.EmailStatus;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.core.RegisteredEmail;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A client that stops sending a body before its end, for longer than the container waits (which a
 * stopping container shortens to a moment), is told to send the request again with a 408, which
 * clients such as Power Automate retry; a body that ends short of its length stays a 400.
 */
class StalledBodyTest extends RouteTestSupport {

    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(300);
    private static final byte[] REPLY =
            "{\"replyMessage\":\"Yes please\"}".getBytes(StandardCharsets.UTF_8);

    @Override
    TrackingTestServer serve(TrackingServlet servlet) throws Exception {
        return TrackingTestServer.startWithIdleTimeout(servlet, IDLE_TIMEOUT);
    }

    @Test
    void upload_bodyStalls_is408AndStoresNothing() throws IOException {
        RegisteredEmail email = registerEmail("alice");
        byte[] body =
                new Multipart()
                        .file("file", "a.bin", "application/octet-stream", new byte[50_000])
                        .build();
        String head = head("/reply-attachment/" + email.trackingId(), Multipart.CONTENT_TYPE, body);

        RawHttp.Answer answer = RawHttp.sendAndStall(server.port(), head, half(body));

        assertThat(answer.status()).isEqualTo(408);
        assertThat(answer.body())
                .contains(
                        "The request body stopped arriving before its end; send the request again");
        assertThat(status(email).attachments()).isEmpty();
    }

    @Test
    void reply_bodyStalls_is408AndCountsNoReply() throws IOException {
        RegisteredEmail email = registerEmail("alice");

        RawHttp.Answer answer = RawHttp.sendAndStall(server.port(), replyHead(email), halfReply());

        assertThat(answer.status()).isEqualTo(408);
        assertThat(answer.body()).contains("send the request again");
        assertThat(status(email).counters().replied()).isFalse();
    }

    @Test
    void reply_bodyEndsShortOfItsLength_is400() throws IOException {
        RegisteredEmail email = registerEmail("alice");

        RawHttp.Answer answer = RawHttp.send(server.port(), replyHead(email), halfReply());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("The request body could not be read to its end");
        assertThat(status(email).counters().replied()).isFalse();
    }

    private static String head(String route, String contentType, byte[] body) {
        return "POST "
                + TrackingTestServer.MOUNT
                + route
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                + contentType
                + "\r\nContent-Length: "
                + body.length
                + "\r\n\r\n";
    }

    private static String replyHead(RegisteredEmail email) {
        return head("/reply/" + email.trackingId(), "application/json", REPLY);
    }

    private static byte[] halfReply() {
        return half(REPLY);
    }

    private static byte[] half(byte[] body) {
        return java.util.Arrays.copyOf(body, body.length / 2);
    }

    private EmailStatus status(RegisteredEmail email) {
        return store.status(email.trackingId(), Page.NEWEST).orElseThrow();
    }
}
