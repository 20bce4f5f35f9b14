package io.github.emailtracking.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.Viewer;
import io.github.emailtracking.core.EmailTracker;
import io.github.emailtracking.core.NewEmail;
import io.github.emailtracking.core.RegisteredEmail;
import io.github.emailtracking.storage.memory.MemoryTrackingStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Starts the tracking servlet in a real Jetty on a free port for each test, over a fresh memory
 * store, and talks to it with the JDK's HTTP client.
 */
abstract class RouteTestSupport {

    static final Instant NOW = Instant.parse("2026-02-10T11:15:00Z");
    static final String PRODUCT = "https://example.com/product";

    /** The public URL the tracker writes into mail; a proxy would map it to this server. */
    static final String PUBLIC_BASE = "https://track.example.com/api/track";

    private static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient http = HttpClient.newHttpClient();
    MemoryTrackingStore store;
    EmailTracker tracker;
    TrackingTestServer server;

    @BeforeEach
    void startServer() throws Exception {
        store = new MemoryTrackingStore();
        tracker = trackerSettings().publicBaseUrl(PUBLIC_BASE).build();
        server = serve(servletSettings().tracker(tracker).build());
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    /** Replaces the running server with one whose servlet has {@code settings}. */
    void restartWith(TrackingServlet.Builder settings) throws Exception {
        server.close();
        server = serve(settings.tracker(tracker).build());
    }

    /** Starts the server for {@code servlet}; override to start it another way. */
    TrackingTestServer serve(TrackingServlet servlet) throws Exception {
        return TrackingTestServer.start(servlet);
    }

    /** Returns the tracker settings a test class wants; override to change limits. */
    EmailTracker.Builder trackerSettings() {
        return EmailTracker.builder().store(store).clock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** Returns the servlet settings a test class wants; override to change limits. */
    TrackingServlet.Builder servletSettings() {
        return TrackingServlet.builder().hmacSecret(Tokens.SECRET);
    }

    /** Registers an email of a new campaign of {@code owner} with {@code links}. */
    RegisteredEmail registerEmail(String owner, String... links) {
        Campaign campaign = tracker.createCampaign(owner, "Welcome Campaign");
        return tracker.registerEmail(
                Viewer.owner(owner),
                campaign.id().value(),
                NewEmail.to("customer@example.com", List.of(links)));
    }

    HttpResponse<String> get(String route, String... headers) {
        return send(request(route, headers).GET().build());
    }

    HttpResponse<byte[]> getBytes(String route, String... headers) {
        return send(request(route, headers).GET().build(), BodyHandlers.ofByteArray());
    }

    HttpResponse<String> head(String route) {
        return send(request(route).method("HEAD", BodyPublishers.noBody()).build());
    }

    HttpResponse<String> post(String route, String body, String... headers) {
        return post(route, BodyPublishers.ofString(body), headers);
    }

    HttpResponse<String> post(String route, BodyPublisher body, String... headers) {
        return send(request(route, headers).POST(body).build());
    }

    /** Posts {@code body} as it is, declared {@code application/json}. */
    HttpResponse<String> postJson(String route, byte[] body) {
        return post(route, BodyPublishers.ofByteArray(body), "Content-Type", "application/json");
    }

    /** Returns the two texts in {@code encoding} with the raw bytes between them. */
    static byte[] encodedAround(String before, byte[] raw, String after, Charset encoding) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(before.getBytes(encoding));
        body.writeBytes(raw);
        body.writeBytes(after.getBytes(encoding));
        return body.toByteArray();
    }

    HttpResponse<String> send(HttpRequest request) {
        return send(request, BodyHandlers.ofString());
    }

    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder request(String route, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(server.uri(route));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return builder;
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    /** Returns the status route's answer for one of alice's emails. */
    JsonNode statusAsAlice(RegisteredEmail email) {
        return json(
                get(
                        "/status/" + email.trackingId(),
                        "Authorization",
                        bearer(Tokens.owner("alice"))));
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    /** Returns the route of a URL the tracker generated, relative to the mount point. */
    static String route(String publicUrl) {
        return publicUrl.substring(PUBLIC_BASE.length());
    }
}
