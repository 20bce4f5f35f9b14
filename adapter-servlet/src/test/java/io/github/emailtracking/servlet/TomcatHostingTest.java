package io.github.emailtracking.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.EmailStatus;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.Viewer;
import io.github.emailtracking.core.EmailTracker;
import io.github.emailtracking.core.NewEmail;
import io.github.emailtracking.core.RegisteredEmail;
import io.github.emailtracking.storage.memory.MemoryTrackingStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The routes hosted by Tomcat, whose way with request bodies differs from Jetty's: when a read of a
 * body fails, Tomcat answers the request itself, with an error page of its own, whatever the route
 * writes. The page must carry the status alone, never the exception and its stack trace.
 */
class TomcatHostingTest {

    private static final Duration CONNECTION_TIMEOUT = Duration.ofMillis(500);
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final byte[] REPLY =
            "{\"replyMessage\":\"Yes please\"}".getBytes(StandardCharsets.UTF_8);

    private MemoryTrackingStore store;
    private EmailTracker tracker;
    private TomcatTestServer server;

    @BeforeEach
    void startServer() throws Exception {
        store = new MemoryTrackingStore();
        tracker =
                EmailTracker.builder()
                        .store(store)
                        .publicBaseUrl("https://track.example.com/app/track")
                        .build();
        server = TomcatTestServer.start(servlet(), CONNECTION_TIMEOUT);
    }

    private TrackingServlet servlet() {
        return TrackingServlet.builder().tracker(tracker).hmacSecret(Tokens.SECRET).build();
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    @Test
    void open_answersThePixel_onceTheOpenIsStored() throws IOException {
        RegisteredEmail email = registerEmail();

        RawHttp.Answer answer = RawHttp.get(server.port(), path("/open/" + email.trackingId()));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.hasHeader("Content-Type", "image/gif")).isTrue();
        assertThat(answer.body().getBytes(StandardCharsets.ISO_8859_1)).hasSize(Pixel.GIF.length);
        assertThat(status(email).counters().openCount()).isEqualTo(1);
    }

    @Test
    void upload_storesTheFile() throws IOException {
        RegisteredEmail email = registerEmail();
        byte[] body =
                new Multipart().file("file", "a.txt", "text/plain", "hello".getBytes()).build();

        RawHttp.Answer answer =
                RawHttp.send(
                        server.port(),
                        head("/reply-attachment/" + email.trackingId(), Multipart.CONTENT_TYPE)
                                + contentLength(body.length),
                        body);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("\"fileName\":\"a.txt\"", "\"fileSize\":5");
        assertThat(status(email).attachments()).hasSize(1);
    }

    @Test
    void reply_bodyEndsShortOfItsLength_is400_withoutStackTrace() throws IOException {
        RegisteredEmail email = registerEmail();

        RawHttp.Answer answer =
                RawHttp.send(server.port(), replyHead(email, REPLY.length), half(REPLY));

        assertThat(answer.status()).isEqualTo(400);
        assertNoInternals(answer);
        assertThat(status(email).counters().replied()).isFalse();
    }

    @Test
    void reply_bodyStalls_is408_withoutStackTrace() throws IOException {
        RegisteredEmail email = registerEmail();

        RawHttp.Answer answer =
                RawHttp.sendAndStall(server.port(), replyHead(email, REPLY.length), half(REPLY));

        assertThat(answer.status()).isEqualTo(408);
        assertNoInternals(answer);
        assertThat(status(email).counters().replied()).isFalse();
    }

    // The route reads no body, but reads a short one to its end to keep the connection: Tomcat
    // then refuses the request for the body it finds cut short, though the reminder is stored.
    @Test
    void reminderSent_unreadBodyEndsShortOfItsLength_isStored_andRefusedWithoutStackTrace()
            throws IOException {
        RegisteredEmail email = registerEmail();

        RawHttp.Answer answer = postCutShort("/reminder-sent/" + email.trackingId());

        assertThat(answer.status()).isEqualTo(400);
        assertNoInternals(answer);
        assertThat(status(email).counters().reminderSent()).isTrue();
    }

    // The route's 404 comes after Tomcat found the body cut short: Tomcat's 400 stays.
    @Test
    void unknownRoute_withBodyCutShort_is400_withoutStackTrace() throws IOException {
        RawHttp.Answer answer = postCutShort("/nowhere");

        assertThat(answer.status()).isEqualTo(400);
        assertNoInternals(answer);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void reply_sentAsAFormThatAFilterReadFirst_fails_andStoresNoEmptyReply(boolean inChunks)
            throws Exception {
        RegisteredEmail email = registerEmail();
        server.close();
        server = TomcatTestServer.startReadingParametersFirst(servlet());

        RawHttp.Answer answer = postForm("/reply/" + email.trackingId(), REPLY, inChunks);

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.body()).contains("the server log has the details");
        assertThat(status(email).counters().replied()).isFalse();
    }

    // Whatever the query, and though the container could not read the body's one field.
    @Test
    void reply_formInChunksThatAFilterReadFirst_withPercentAndEmptyQueryFields_fails()
            throws Exception {
        RegisteredEmail email = registerEmail();
        server.close();
        server = TomcatTestServer.startReadingParametersFirst(servlet());
        byte[] reply = "{\"replyMessage\":\"Yes, 100% sure\"}".getBytes(StandardCharsets.UTF_8);

        RawHttp.Answer answer = postForm("/reply/" + email.trackingId() + "?a&&b", reply, true);

        assertThat(answer.status()).isEqualTo(500);
        assertThat(status(email).counters().replied()).isFalse();
    }

    // It cannot be told from one that a filter read first.
    @Test
    void reply_emptyFormInChunks_isRefused_storingNothing() throws IOException {
        RegisteredEmail email = registerEmail();

        RawHttp.Answer answer = postForm("/reply/" + email.trackingId(), new byte[0], true);

        assertThat(answer.status()).isEqualTo(500);
        assertThat(status(email).counters().replied()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void reply_sentAsAForm_withoutSuchAFilter_isStored(boolean inChunks) throws IOException {
        RegisteredEmail email = registerEmail();

        RawHttp.Answer answer = postForm("/reply/" + email.trackingId(), REPLY, inChunks);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(status(email).counters().replied()).isTrue();
    }

    private static void assertNoInternals(RawHttp.Answer answer) {
        assertThat(answer.text()).doesNotContain("Exception", "io.github", "org.apache", "\tat ");
    }

    private RegisteredEmail registerEmail() {
        Campaign campaign = tracker.createCampaign("alice", "Welcome Campaign");
        return tracker.registerEmail(
                Viewer.admin("alice"),
                campaign.id().value(),
                NewEmail.to("reader@example.com", List.of()));
    }

    private EmailStatus status(RegisteredEmail email) {
        return store.status(email.trackingId(), Page.NEWEST).orElseThrow();
    }

    private static String path(String route) {
        return TomcatTestServer.path(route);
    }

    private static String head(String route, String contentType) {
        return "POST "
                + path(route)
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                + contentType
                + "\r\n";
    }

    private static String contentLength(long length) {
        return "Content-Length: " + length + "\r\n\r\n";
    }

    private static String replyHead(RegisteredEmail email, int length) {
        return head("/reply/" + email.trackingId(), "application/json") + contentLength(length);
    }

    /** Posts {@code body} as a form, with its length or in chunks. */
    private RawHttp.Answer postForm(String route, byte[] body, boolean inChunks)
            throws IOException {
        String framing =
                inChunks ? "Transfer-Encoding: chunked\r\n\r\n" : contentLength(body.length);
        return RawHttp.send(
                server.port(), head(route, FORM) + framing, inChunks ? chunked(body) : body);
    }

    /** Posts 3 bytes of a body that declares 100, and ends the request there. */
    private RawHttp.Answer postCutShort(String route) throws IOException {
        return RawHttp.send(
                server.port(),
                head(route, "application/json") + contentLength(100),
                "abc".getBytes(StandardCharsets.US_ASCII));
    }

    /** Returns {@code body} in one chunk, or none when it is empty, and the last chunk. */
    private static byte[] chunked(byte[] body) {
        String start = body.length == 0 ? "" : Integer.toHexString(body.length) + "\r\n";
        String end = body.length == 0 ? "0\r\n\r\n" : "\r\n0\r\n\r\n";
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        whole.writeBytes(start.getBytes(StandardCharsets.US_ASCII));
        whole.writeBytes(body);
        whole.writeBytes(end.getBytes(StandardCharsets.US_ASCII));
        return whole.toByteArray();
    }

    private static byte[] half(byte[] body) {
        return Arrays.copyOf(body, body.length / 2);
    }
}
