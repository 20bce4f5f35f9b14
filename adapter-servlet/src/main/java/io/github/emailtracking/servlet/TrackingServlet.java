package io.github.emailtracking.servlet;

import com.auth0.jwt.algorithms.Algorithm;
import io.github.emailtracking.api.NotFoundException;
import io.github.emailtracking.core.EmailTracker;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.net.URI;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves every route of the tracker. Mount it under any path with a trailing wildcard, such as
 * {@code /api/track/*}, or as the container's default servlet, {@code /}; the routes are relative
 * to that path:
 *
 * <ul>
 *   <li>public: {@code GET|HEAD /open/{trackingId}}, {@code GET|HEAD /click/{trackingId}}, {@code
 *       POST /reply/{trackingId}}, {@code POST /reply} (found by the reply's headers), {@code POST
 *       /reply-attachment/{trackingId}}, {@code POST /reminder-sent/{trackingId}}, {@code POST
 *       /bounce/{trackingId}}, and {@code GET|HEAD|POST /unsubscribe/{trackingId}} (the page, and
 *       the one-click request);
 *   <li>with a bearer token: {@code GET|HEAD /status/{trackingId}}, {@code GET|HEAD
 *       /campaign/{campaignId}}, {@code GET|HEAD /reply-attachment/{attachmentId}}, {@code POST
 *       /campaigns}, {@code POST /campaigns/{campaignId}/emails}, and, for an admin without a
 *       tenant, {@code POST /erase}.
 * </ul>
 *
 * <p>Every method is dispatched here, so {@code HEAD} never falls through to {@code GET} and
 * records nothing: the open, click and unsubscribe routes have a {@code HEAD} of their own, and the
 * admin routes, which only read, answer it like {@code GET} with the body left out. Every failure
 * is answered as JSON with a status code; see the HTTP contract.
 *
 * <p>Build one with {@link #builder()} and register the instance with the container, for example
 * with {@code ServletContext.addServlet}, with asynchronous support turned on: the open route then
 * waits for the store's commit without holding a container thread, when the store answers from
 * threads of its own (see {@code TrackingStore.recordAsync}). Without it, each open holds its
 * thread until its open is stored. Thread-safe.
 */
public final class TrackingServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(TrackingServlet.class);

    private final transient List<Route> routes;
    private final transient JsonBodies json;

    private TrackingServlet(Builder builder) {
        this.json = new JsonBodies(builder.maxJsonBodyBytes);
        Uploads uploads =
                new Uploads(builder.tracker, builder.maxMultipartParts, builder.maxPartHeaderBytes);
        PublicRoutes open = new PublicRoutes(builder.tracker, uploads, builder.webhookSecret);
        AdminRoutes admin = new AdminRoutes(builder.tracker, builder.authenticator());
        UnsubscribeRoutes unsubscribe = new UnsubscribeRoutes(builder.tracker);
        this.routes =
                List.of(
                        Route.of("/open/**", Map.of("GET", open::open, "HEAD", open::openHead)),
                        Route.of("/click/*", Map.of("GET", open::click, "HEAD", open::clickHead)),
                        Route.of("/reply", Map.of("POST", open::replyByHeaders)),
                        Route.of("/reply/*", Map.of("POST", open::reply)),
                        Route.of("/bounce/*", Map.of("POST", open::bounce)),
                        Route.of(
                                "/unsubscribe/**",
                                Map.of(
                                        "GET", unsubscribe::confirmationPage,
                                        "HEAD", unsubscribe::confirmationHead,
                                        "POST", unsubscribe::unsubscribe)),
                        Route.of(
                                "/reply-attachment/*",
                                Map.of(
                                        "POST", open::uploadAttachment,
                                        "GET", admin::downloadAttachment,
                                        "HEAD", admin::downloadAttachment)),
                        Route.of("/reminder-sent/*", Map.of("POST", open::reminderSent)),
                        Route.of("/status/*", Map.of("GET", admin::status, "HEAD", admin::status)),
                        Route.of(
                                "/campaign/*",
                                Map.of(
                                        "GET", admin::campaignReport,
                                        "HEAD", admin::campaignReport)),
                        Route.of("/campaigns", Map.of("POST", admin::createCampaign)),
                        Route.of("/campaigns/*/emails", Map.of("POST", admin::registerEmail)),
                        Route.of("/erase", Map.of("POST", admin::eraseRecipient)));
    }

    /** Returns a builder; {@link Builder#tracker} and a token key are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Makes the folder for the temporary files of JSON attachments, deleting those that killed
     * processes left (see {@link UploadFolder}), and warns when the container maps this servlet
     * where no route can be reached: to an exact path or an extension, rather than to a path with a
     * trailing wildcard or to {@code /}.
     */
    @Override
    public void init() {
        makeUploadFolder();
        warnOfUnreachableMappings();
    }

    private static void makeUploadFolder() {
        try {
            UploadFolder.current();
        } catch (IOException e) {
            LOG.warn(
                    "Could not make a folder for uploads in {}; JSON attachments are refused"
                            + " until one can be made: {}",
                    System.getProperty("java.io.tmpdir"),
                    e.toString());
        }
    }

    private void warnOfUnreachableMappings() {
        ServletRegistration registration =
                getServletContext().getServletRegistration(getServletName());
        if (registration == null) {
            return;
        }
        for (String mapping : registration.getMappings()) {
            if (!mapping.equals("/") && !mapping.endsWith("/*")) {
                LOG.warn(
                        "The tracking servlet is mapped to '{}', under which no route can be"
                                + " reached; map it to a path with a trailing /*, such as"
                                + " /api/track/*, or to /",
                        mapping);
            }
        }
    }

    /**
     * Warns of store failures, and of bearer tokens the key set kept from being checked, that no
     * warning has reported yet, as the servlet stops.
     */
    @Override
    public void destroy() {
        Failures.warnOfUnreportedFailures();
    }

    @Override
    protected void service(HttpServletRequest received, HttpServletResponse response) {
        HttpServletRequest request = UnreadBodies.watch(received);
        List<String> path = segments(routePath(request));
        HttpServletResponse answer =
                "HEAD".equals(request.getMethod()) ? new BodilessResponse(response) : response;
        Exchange exchange = new Exchange(request, answer, json, path);
        if (request.getMethod().equals("GET") || request.getMethod().equals("HEAD")) {
            // These routes read no body, and a pixel is sent whole before the route returns; the
            // others answer in JSON or HTML, which say so as they are written.
            UnreadBodies.closeIfBodyDeclared(request, answer);
        }
        try {
            handler(path, request.getMethod()).handle(exchange);
        } catch (Exception e) {
            Failures.answer(exchange, e);
        }
        if (answer instanceof BodilessResponse head) {
            head.finish();
        }
    }

    /**
     * Returns the path below the servlet's mapping: the path info, or the whole servlet path when
     * the servlet is the container's default, mapped to {@code /}.
     */
    private static String routePath(HttpServletRequest request) {
        if (request.getPathInfo() == null
                && request.getHttpServletMapping().getMappingMatch() == MappingMatch.DEFAULT) {
            return request.getServletPath();
        }
        return request.getPathInfo();
    }

    private Route.Handler handler(List<String> path, String method) {
        for (Route route : routes) {
            if (route.matches(path)) {
                Route.Handler handler = route.handlers().get(method);
                if (handler == null) {
                    throw new MethodNotAllowedException(method, route.allowedMethods());
                }
                return handler;
            }
        }
        throw new NotFoundException("no route has this path");
    }

    private static List<String> segments(String pathInfo) {
        if (pathInfo == null || pathInfo.length() < 2) {
            return List.of();
        }
        return Arrays.asList(pathInfo.substring(1).split("/", -1));
    }

    /**
     * Builds a {@link TrackingServlet}. Each setter checks its value at once and names a bad one in
     * its exception. Exactly one token key is required: {@link #hmacSecret}, {@link #rsaPublicKey},
     * {@link #ecPublicKey} or {@link #jwks}.
     */
    public static final class Builder {

        /** Shortest HMAC secret accepted: 256 bits, as HS256 needs. */
        public static final int MIN_HMAC_SECRET_BYTES = 32;

        /** Smallest RSA key accepted, in bits. */
        public static final int MIN_RSA_KEY_BITS = 2048;

        /** Largest clock-skew leeway accepted, in seconds. */
        public static final long MAX_LEEWAY_SECONDS = 300;

        private EmailTracker tracker;
        private Supplier<Algorithm> algorithm;
        private String keyDescription;
        private String issuer;
        private String audience;
        private long tokenLeewaySeconds;
        private String tenantClaim;
        private WebhookSecret webhookSecret = WebhookSecret.NONE;
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
         * Checks bearer tokens with HS256 and this secret.
         *
         * @throws IllegalArgumentException if it is shorter than 32 bytes
         * @throws IllegalStateException if another token key was set
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
            byte[] copy = secret.clone();
            return tokenKey("an HMAC secret", () -> Algorithm.HMAC256(copy));
        }

        /**
         * Checks bearer tokens with RS256 and this public key.
         *
         * @throws IllegalArgumentException if the key is shorter than 2048 bits
         * @throws IllegalStateException if another token key was set
         */
        public Builder rsaPublicKey(RSAPublicKey key) {
            requireStrongRsaKey(Objects.requireNonNull(key, "key").getModulus().bitLength());
            return tokenKey("an RSA public key", () -> Algorithm.RSA256(key, null));
        }

        /**
         * Checks bearer tokens with ES256 and this P-256 public key.
         *
         * @throws IllegalArgumentException if the key is not on the P-256 curve
         * @throws IllegalStateException if another token key was set
         */
        public Builder ecPublicKey(ECPublicKey key) {
            ECParameterSpec curve = Objects.requireNonNull(key, "key").getParams();
            if (!isP256(curve)) {
                int bits = curve.getCurve().getField().getFieldSize();
                throw new IllegalArgumentException(
                        "ES256 needs a key on the P-256 curve (secp256r1), not a key on another"
                                + " curve of "
                                + bits
                                + " bits");
            }
            return tokenKey("an EC public key", () -> Algorithm.ECDSA256(key, null));
        }

        /** Returns whether the curve is P-256: other curves of 256 bits exist (secp256k1). */
        private static boolean isP256(ECParameterSpec curve) {
            ECParameterSpec p256;
            try {
                AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
                parameters.init(new ECGenParameterSpec("secp256r1"));
                p256 = parameters.getParameterSpec(ECParameterSpec.class);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this Java has no P-256 curve", e);
            }
            return curve.getCurve().equals(p256.getCurve())
                    && curve.getGenerator().equals(p256.getGenerator())
                    && curve.getOrder().equals(p256.getOrder())
                    && curve.getCofactor() == p256.getCofactor();
        }

        /**
         * Checks bearer tokens against a JSON Web Key Set read from {@code location} (a {@code
         * file:}, {@code https:} or, on a network of the host's own, {@code http:} URI) with the
         * pinned {@code algorithm}, {@code "RS256"} or {@code "ES256"}. A file is read at once; a
         * URL when the servlet is built, within five seconds. Either is read again when a token
         * names a key it does not have, at most once a minute, and, on another thread, when a token
         * comes more than five minutes after the last read, so that a key taken out of the set is
         * refused from then on; a read that fails or finds no usable key keeps the keys read
         * before. Keys for another algorithm, whose {@code use} is not {@code sig}, or whose {@code
         * key_ops} list operations but not {@code verify}, are not used.
         *
         * @throws IllegalArgumentException if the location or the algorithm is not supported, or
         *     the file holds no usable key for the algorithm
         * @throws IllegalStateException if another token key was set
         */
        public Builder jwks(URI location, String algorithm) {
            String given = Objects.requireNonNull(location, "location").getScheme();
            if (given == null) {
                throw new IllegalArgumentException(
                        "the key set location must be a file:, https: or http: URI, not a relative"
                                + " one");
            }
            String scheme = given.toLowerCase(Locale.ROOT);
            if (!List.of("file", "https", "http").contains(scheme)) {
                // Only the scheme is repeated: the rest may hold a password.
                throw new IllegalArgumentException(
                        "the key set location must be a file:, https: or http: URI, not a "
                                + scheme
                                + ": URI");
            }
            Objects.requireNonNull(algorithm, "algorithm");
            if (!List.of("RS256", "ES256").contains(algorithm)) {
                throw new IllegalArgumentException(
                        "the key set algorithm must be RS256 or ES256, not " + algorithm);
            }
            // A file is the host's own: one without a usable key is a mistake to tell at once,
            // while a key server that is down is asked again later.
            JwksKeySet fileKeys = null;
            if (scheme.equals("file")) {
                fileKeys = new JwksKeySet(location, algorithm, Clock.systemUTC());
                fileKeys.requireKeys();
            }
            JwksKeySet readKeys = fileKeys;
            return tokenKey(
                    "a key set",
                    () -> {
                        JwksKeySet keys =
                                readKeys != null
                                        ? readKeys
                                        : new JwksKeySet(location, algorithm, Clock.systemUTC());
                        return algorithm.equals("RS256")
                                ? Algorithm.RSA256(keys.forRs256())
                                : Algorithm.ECDSA256(keys.forEs256());
                    });
        }

        /** Refuses an RSA key of fewer than {@value #MIN_RSA_KEY_BITS} bits, saying so. */
        static void requireStrongRsaKey(int bits) {
            if (bits < MIN_RSA_KEY_BITS) {
                throw new IllegalArgumentException(
                        "the RSA key must have at least "
                                + MIN_RSA_KEY_BITS
                                + " bits, not "
                                + bits);
            }
        }

        /** Requires tokens to carry this {@code iss}; by default any issuer is accepted. */
        public Builder tokenIssuer(String issuer) {
            this.issuer = requireText(issuer, "tokenIssuer");
            return this;
        }

        /** Requires tokens to carry this {@code aud}; by default any audience is accepted. */
        public Builder tokenAudience(String audience) {
            this.audience = requireText(audience, "tokenAudience");
            return this;
        }

        /**
         * Scopes campaigns to organisations: the named claim of a token (such as {@code "org"}) is
         * its tenant; a campaign belongs to the tenant of the token that created it, and only
         * tokens of the same tenant see it (an admin role sees its whole tenant). Off by default.
         */
        public Builder tenantClaim(String claim) {
            this.tenantClaim = requireText(claim, "tenantClaim");
            return this;
        }

        /** Sets how many seconds of clock skew a token's times may have, 0 to 300; default 0. */
        public Builder tokenLeewaySeconds(long seconds) {
            if (seconds < 0 || seconds > MAX_LEEWAY_SECONDS) {
                throw new IllegalArgumentException(
                        "tokenLeewaySeconds must be from 0 to "
                                + MAX_LEEWAY_SECONDS
                                + ", not "
                                + seconds);
            }
            this.tokenLeewaySeconds = seconds;
            return this;
        }

        /**
         * Requires the webhooks of mail flows (reply, by tracking id or by headers, attachment,
         * reminder and bounce) to carry {@code secret} in the header {@value WebhookSecret#HEADER};
         * off by default, as the documented routes are open. The pixel, the click and unsubscribe,
         * which mail clients and recipients call, never need it.
         *
         * @throws IllegalArgumentException if the secret is shorter than 16 characters, or is not
         *     printable ASCII without spaces at its ends, which a header can carry
         */
        public Builder webhookSecret(String secret) {
            this.webhookSecret = WebhookSecret.of(Objects.requireNonNull(secret, "secret"));
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
         * @throws IllegalStateException if the tracker or the token key is missing
         */
        public TrackingServlet build() {
            if (tracker == null || algorithm == null) {
                throw new IllegalStateException(
                        tracker == null
                                ? "tracker is required"
                                : "a token key is required: hmacSecret, rsaPublicKey,"
                                        + " ecPublicKey or jwks");
            }
            return new TrackingServlet(this);
        }

        private Builder tokenKey(String description, Supplier<Algorithm> algorithm) {
            if (this.algorithm != null) {
                throw new IllegalStateException(
                        "only one token key may be set; "
                                + keyDescription
                                + " is set already, so "
                                + description
                                + " cannot be");
            }
            this.algorithm = algorithm;
            this.keyDescription = description;
            return this;
        }

        private JwtAuthenticator authenticator() {
            return new JwtAuthenticator(
                    algorithm.get(), issuer, audience, tokenLeewaySeconds, tenantClaim);
        }

        private static String requireText(String value, String name) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return value;
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
