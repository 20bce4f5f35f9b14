package io.github.emailtracking.servlet;

import com.auth0.jwt.algorithms.Algorithm;
import io.github.emailtracking.api.NotFoundException;
import io.github.emailtracking.core.EmailTracker;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Serves every route of the tracker. Mount it under any path with a trailing wildcard, such as
 * {@code /api/track/*}; the routes are relative to that path:
 *
 * <ul>
 *   <li>public: {@code GET|HEAD /open/{trackingId}}, {@code GET|HEAD /click/{trackingId}}, {@code
 *       POST /reply/{trackingId}}, {@code POST /reply-attachment/{trackingId}}, {@code POST
 *       /reminder-sent/{trackingId}};
 *   <li>with a bearer token: {@code GET /status/{trackingId}}, {@code GET /campaign/{campaignId}},
 *       {@code GET /reply-attachment/{attachmentId}}, {@code POST /campaigns}, {@code POST
 *       /campaigns/{campaignId}/emails}.
 * </ul>
 *
 * <p>Every method is dispatched here, so {@code HEAD} never falls through to {@code GET} and
 * records nothing. Every failure is answered as JSON with a status code; see the HTTP contract.
 *
 * <p>Build one with {@link #builder()} and register the instance with the container, for example
 * with {@code ServletContext.addServlet}. Thread-safe.
 */
public final class TrackingServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient List<Route> routes;
    private final transient JsonBodies json;

    private TrackingServlet(Builder builder) {
        this.json = new JsonBodies(builder.maxJsonBodyBytes);
        Uploads uploads =
                new Uploads(builder.tracker, builder.maxMultipartParts, builder.maxPartHeaderBytes);
        PublicRoutes open = new PublicRoutes(builder.tracker, uploads);
        AdminRoutes admin = new AdminRoutes(builder.tracker, builder.authenticator());
        this.routes =
                List.of(
                        Route.of("/open/*", Map.of("GET", open::open, "HEAD", open::openHead)),
                        Route.of("/click/*", Map.of("GET", open::click, "HEAD", open::clickHead)),
                        Route.of("/reply/*", Map.of("POST", open::reply)),
                        Route.of(
                                "/reply-attachment/*",
                                Map.of(
                                        "POST", open::uploadAttachment,
                                        "GET", admin::downloadAttachment)),
                        Route.of("/reminder-sent/*", Map.of("POST", open::reminderSent)),
                        Route.of("/status/*", Map.of("GET", admin::status)),
                        Route.of("/campaign/*", Map.of("GET", admin::campaignReport)),
                        Route.of("/campaigns", Map.of("POST", admin::createCampaign)),
                        Route.of("/campaigns/*/emails", Map.of("POST", admin::registerEmail)));
    }

    /** Returns a builder; {@link Builder#tracker} and a token key are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) {
        List<String> path = segments(request.getPathInfo());
        Exchange exchange = new Exchange(request, response, json, path);
        try {
            handler(path, request.getMethod()).handle(exchange);
        } catch (Exception e) {
            Failures.answer(exchange, e);
        }
    }

    private Route.Handler handler(List<String> path, String method) {
        Route route =
                routes.stream()
                        .filter(r -> r.matches(path))
                        .findFirst()
                        .orElseThrow(() -> new NotFoundException("no route has this path"));
        return Optional.ofNullable(route.handlers().get(method))
                .orElseThrow(() -> new MethodNotAllowedException(method, route.allowedMethods()));
    }

    private static List<String> segments(String pathInfo) {
        if (pathInfo == null || pathInfo.length() < 2) {
            return List.of();
        }
        return Arrays.asList(pathInfo.substring(1).split("/", -1));
    }

    /**
     * Builds a {@link TrackingServlet}. Each setter checks its value at once and names a bad one in
     * its exception.
     */
    public static final class Builder {

        /** Shortest HMAC secret accepted: 256 bits, as HS256 needs. */
        public static final int MIN_HMAC_SECRET_BYTES = 32;

        private EmailTracker tracker;
        private byte[] hmacSecret;
        private long tokenLeewaySeconds;
        private int maxJsonBodyBytes = 1024 * 1024;
        private int maxMultipartParts = 10;
        private int maxPartHeaderBytes = 8 * 1024;

        private Builder() {}

        /** Sets the tracker that every route calls. Required. */
        public Builder tracker(EmailTracker tracker) {
            this.tracker = Objects.requireNonNull(tracker, "tracker");
            return this;
        }

        /**
         * Sets the secret that bearer tokens are signed with, for HS256. Required.
         *
         * @throws IllegalArgumentException if it is shorter than 32 bytes
         */
        public Builder hmacSecret(byte[] secret) {
            Objects.requireNonNull(secret, "secret");
            if (secret.length < MIN_HMAC_SECRET_BYTES) {
                throw new IllegalArgumentException(
                        "the HMAC secret must be at least "
                                + MIN_HMAC_SECRET_BYTES
                                + " bytes, not "
                                + secret.length);
            }
            this.hmacSecret = secret.clone();
            return this;
        }

        /** Sets how many seconds of clock skew a token's times may have; defaults to 0. */
        public Builder tokenLeewaySeconds(long seconds) {
            this.tokenLeewaySeconds = atLeast(0, seconds, "tokenLeewaySeconds");
            return this;
        }

        /** Sets the largest JSON request body, in bytes; defaults to 1 MiB. */
        public Builder maxJsonBodyBytes(int bytes) {
            this.maxJsonBodyBytes = (int) atLeast(1024, bytes, "maxJsonBodyBytes");
            return this;
        }

        /** Sets how many parts a multipart upload may have; defaults to 10. */
        public Builder maxMultipartParts(int parts) {
            this.maxMultipartParts = (int) atLeast(1, parts, "maxMultipartParts");
            return this;
        }

        /** Sets the largest header block of one multipart part, in bytes; defaults to 8 KiB. */
        public Builder maxPartHeaderBytes(int bytes) {
            this.maxPartHeaderBytes = (int) atLeast(256, bytes, "maxPartHeaderBytes");
            return this;
        }

        /**
         * Builds the servlet.
         *
         * @throws IllegalStateException if the tracker or the token secret is missing
         */
        public TrackingServlet build() {
            if (tracker == null || hmacSecret == null) {
                throw new IllegalStateException(
                        (tracker == null ? "tracker" : "hmacSecret") + " is required");
            }
            return new TrackingServlet(this);
        }

        private JwtAuthenticator authenticator() {
            return new JwtAuthenticator(Algorithm.HMAC256(hmacSecret), tokenLeewaySeconds);
        }

        private static long atLeast(long minimum, long value, String name) {
            if (value < minimum) {
                throw new IllegalArgumentException(
                        name + " must be at least " + minimum + ", not " + value);
            }
            return value;
        }
    }
}
