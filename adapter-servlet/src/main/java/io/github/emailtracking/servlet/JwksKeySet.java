package io.github.emailtracking.servlet;

import com.auth0.jwt.interfaces.ECDSAKeyProvider;
import com.auth0.jwt.interfaces.RSAKeyProvider;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public keys of a JSON Web Key Set (RFC 7517), read from a file or an http(s) URL that the
 * host configured (never from a token). Keys are found by the token's {@code kid}; a token without
 * one is checked against the only key, when there is exactly one. An unknown {@code kid} reloads
 * the set, at most once a minute, so that rotated keys are picked up; a token checked more than
 * five minutes after the last read has the set read again on another thread, so that a key taken
 * out of it is refused from then on. A read that fails, or finds no usable key, keeps the keys read
 * before, so that a key server that is down for a while does not lock everyone out, and is warned
 * of once until that changes.
 *
 * <p>Only keys for the pinned algorithm are kept: RSA keys for RS256, P-256 keys for ES256.
 * Thread-safe.
 */
final class JwksKeySet {

    private static final Logger LOG = LoggerFactory.getLogger(JwksKeySet.class);
    private static final int MAX_BYTES = 1024 * 1024;
    private static final Duration RELOAD_INTERVAL = Duration.ofMinutes(1);
    private static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);

    private final URI location;
    private final String algorithm;
    private final Clock clock;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private volatile Map<String, PublicKey> keys = Map.of();
    private volatile byte[] lastDocument;
    private volatile Instant lastRead = Instant.MIN;
    private final AtomicReference<Instant> lastReload = new AtomicReference<>(Instant.MIN);
    private final Executor refresher;
    private volatile boolean readWithoutKey;
    private volatile boolean lastDocumentUsable;
    private volatile boolean everLoaded;
    private volatile String lastWarning;
    private volatile String lastFailure;

    JwksKeySet(URI location, String algorithm, Clock clock) {
        this(location, algorithm, clock, ForkJoinPool.commonPool());
    }

    /**
     * @param refresher runs the reads of a set grown old, away from the request that found it so
     */
    JwksKeySet(URI location, String algorithm, Clock clock, Executor refresher) {
        this.location = location;
        this.algorithm = algorithm;
        this.clock = clock;
        this.refresher = refresher;
        this.http = HttpClient.newBuilder().connectTimeout(FETCH_TIMEOUT).build();
        reload();
    }

    private PublicKey key(String keyId) {
        PublicKey key = find(keyId);
        if (key != null) {
            refreshIfOld();
            return key;
        }
        if (claimReload()) {
            reload();
            key = find(keyId);
        }
        if (key == null && !everLoaded) {
            throw new KeySetUnavailableException(
                    readWithoutKey
                            ? "the token key set holds no key that can check tokens right now; try"
                                    + " again later"
                            : "the token key set cannot be read right now; try again later",
                    null);
        }
        return key;
    }

    /**
     * Reads the set again, on another thread, once it is {@link #MAX_AGE} old: the token in hand is
     * checked with the key found, and no token waits for a slow key server.
     */
    private void refreshIfOld() {
        if (clock.instant().isAfter(lastRead.plus(MAX_AGE)) && claimReload()) {
            refresher.execute(this::reload);
        }
    }

    /**
     * Returns whether the caller may read the set again: not when it was tried less than a minute
     * before, nor when another caller just claimed it, so that one reads and the others go on with
     * the keys they have.
     */
    private boolean claimReload() {
        Instant last = lastReload.get();
        Instant now = clock.instant();
        return now.isAfter(last.plus(RELOAD_INTERVAL)) && lastReload.compareAndSet(last, now);
    }

    private PublicKey find(String keyId) {
        Map<String, PublicKey> current = keys;
        if (keyId == null) {
            return current.size() == 1 ? current.values().iterator().next() : null;
        }
        return current.get(keyId);
    }

    /**
     * Fails unless the key set was read and holds a key for the algorithm.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    void requireKeys() {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(
                    "the key set at "
                            + shown()
                            + " holds no usable "
                            + algorithm
                            + " key"
                            + (lastFailure == null ? "" : ": " + lastFailure));
        }
    }

    private void reload() {
        try {
            byte[] document = fetch();
            if (Arrays.equals(document, lastDocument)) {
                // Unchanged: nothing to read again, and no skipped key to warn of again.
                lastWarning = null;
                readWithoutKey = !lastDocumentUsable;
                if (lastDocumentUsable) {
                    lastRead = clock.instant();
                }
                return;
            }
            lastFailure = null;
            Map<String, PublicKey> read = parse(json.readTree(document));
            lastWarning = null;
            lastDocument = document;
            lastDocumentUsable = !read.isEmpty();
            readWithoutKey = read.isEmpty();
            if (read.isEmpty()) {
                warnOnce(
                        "The token key set at "
                                + shown()
                                + " holds no usable "
                                + algorithm
                                + " key"
                                + (lastFailure == null ? "" : ": " + lastFailure));
                return;
            }
            keys = read;
            lastRead = clock.instant();
            everLoaded = true;
            LOG.debug("Read {} token key(s) from {}", keys.size(), shown());
        } catch (JsonProcessingException e) {
            // The parser's own message quotes the content, which may be any file.
            failed("it is not JSON");
        } catch (NoSuchFileException e) {
            // Its message is the bare path.
            failed("there is no such file");
        } catch (AccessDeniedException e) {
            failed("this process may not read the file");
        } catch (IOException | RuntimeException e) {
            failed(e.getMessage() != null ? e.getMessage() : "it cannot be read or reached");
        }
    }

    private void failed(String reason) {
        lastFailure = reason;
        readWithoutKey = false;
        warnOnce("Cannot read the token key set at " + shown() + ": " + reason);
    }

    /**
     * Warns, unless the last read warned the same: a key server that stays down, or a set that
     * stays broken, is warned of once, and again when that changes.
     */
    private void warnOnce(String warning) {
        if (warning.equals(lastWarning)) {
            LOG.debug(warning);
        } else {
            LOG.warn(warning);
        }
        lastWarning = warning;
    }

    /** Returns the location for messages, with any user name and password hidden. */
    private String shown() {
        String userInfo = location.getRawUserInfo();
        return userInfo == null
                ? location.toString()
                : location.toString().replace(userInfo + "@", "***@");
    }

    private byte[] fetch() throws IOException {
        if ("file".equalsIgnoreCase(location.getScheme())) {
            try (InputStream in = Files.newInputStream(Path.of(location))) {
                return bounded(in);
            }
        }
        HttpRequest request = HttpRequest.newBuilder(location).timeout(FETCH_TIMEOUT).GET().build();
        CompletableFuture<HttpResponse<byte[]>> exchange =
                http.sendAsync(
                        request,
                        answer ->
                                answer.statusCode() == 200
                                        ? new BoundedBody()
                                        : HttpResponse.BodySubscribers.replacing(null));
        HttpResponse<byte[]> response = within(exchange);
        if (response.statusCode() != 200) {
            throw new IOException("the key set URL answered " + response.statusCode());
        }
        return response.body();
    }

    /**
     * Waits for the whole answer, headers and body, at most {@link #FETCH_TIMEOUT}: a key server
     * that sends its headers and then stalls must not hold a request's thread.
     */
    private static <T> T within(CompletableFuture<T> exchange) throws IOException {
        try {
            return exchange.get(FETCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new IOException(
                    "the key server sent no whole key set within "
                            + FETCH_TIMEOUT.toSeconds()
                            + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the key set", e);
        }
    }

    private static byte[] bounded(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw tooLarge();
        }
        return bytes;
    }

    private static IOException tooLarge() {
        return new IOException("the key set is larger than " + MAX_BYTES + " bytes");
    }

    private Map<String, PublicKey> parse(JsonNode document) {
        Map<String, PublicKey> parsed = new HashMap<>();
        JsonNode list = document.path("keys");
        for (JsonNode jwk : list) {
            PublicKey key = toKey(jwk);
            if (key != null && parsed.putIfAbsent(jwk.path("kid").asText(""), key) != null) {
                LOG.warn(
                        "The token key set at {} has two usable keys where {} stands; only the"
                                + " first is used",
                        shown(),
                        keyName(jwk));
            }
        }
        return Map.copyOf(parsed);
    }

    private PublicKey toKey(JsonNode jwk) {
        String use = jwk.path("use").asText("sig");
        String alg = jwk.path("alg").asText(algorithm);
        if (!use.equals("sig") || !alg.equals(algorithm)) {
            return null;
        }
        if (!mayVerify(jwk)) {
            lastFailure = keyName(jwk) + ": its key_ops do not list verify";
            return null;
        }
        try {
            if (algorithm.equals("RS256") && jwk.path("kty").asText().equals("RSA")) {
                return rsaKey(jwk);
            }
            if (algorithm.equals("ES256")
                    && jwk.path("kty").asText().equals("EC")
                    && jwk.path("crv").asText().equals("P-256")) {
                return ecKey(jwk);
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // Kept as the reason a set without any usable key gives, should it be one.
            lastFailure = keyName(jwk) + ": " + reasonOf(e);
            LOG.warn("Skipping {} of the token key set: {}", keyName(jwk), reasonOf(e));
        }
        return null;
    }

    /**
     * Returns why a key was refused: the message of the innermost cause, since a key factory wraps
     * its reason, with the name of the exception's class, in one of its own.
     */
    private static String reasonOf(Exception e) {
        Throwable innermost = e;
        while (innermost.getCause() != null && innermost.getCause().getMessage() != null) {
            innermost = innermost.getCause();
        }
        return innermost.getMessage();
    }

    /** Returns how a failure names a key: by its {@code kid}, or as one without. */
    private static String keyName(JsonNode jwk) {
        JsonNode kid = jwk.path("kid");
        return kid.isMissingNode() || kid.isNull() ? "a key without a kid" : "key " + kid;
    }

    /**
     * Returns whether a key may verify signatures by its {@code key_ops}, when it lists any (RFC
     * 7517): a key meant only to encrypt, say, is not used, as one whose {@code use} is not {@code
     * sig} is not. A null or empty list is read as none given, as serializers write a field left
     * unset.
     */
    private static boolean mayVerify(JsonNode jwk) {
        JsonNode operations = jwk.path("key_ops");
        if (operations.isMissingNode()
                || operations.isNull()
                || (operations.isArray() && operations.isEmpty())) {
            return true;
        }
        for (JsonNode operation : operations) {
            if (operation.isTextual() && operation.asText().equals("verify")) {
                return true;
            }
        }
        return false;
    }

    private static PublicKey rsaKey(JsonNode jwk) throws GeneralSecurityException {
        BigInteger modulus = unsigned(jwk, "n");
        TrackingServlet.Builder.requireStrongRsaKey(modulus.bitLength());
        RSAPublicKeySpec spec = new RSAPublicKeySpec(modulus, unsigned(jwk, "e"));
        return KeyFactory.getInstance("RSA").generatePublic(spec);
    }

    private static PublicKey ecKey(JsonNode jwk) throws GeneralSecurityException {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec curve = parameters.getParameterSpec(ECParameterSpec.class);
        ECPoint point = new ECPoint(unsigned(jwk, "x"), unsigned(jwk, "y"));
        requireOnCurve(point, curve.getCurve());
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, curve));
    }

    /**
     * Fails unless the point solves the curve's equation, y² = x³ + ax + b modulo its prime: a key
     * off the curve is a broken one, which the key factory would take as it is.
     */
    private static void requireOnCurve(ECPoint point, EllipticCurve curve) {
        BigInteger p = ((ECFieldFp) curve.getField()).getP();
        BigInteger x = point.getAffineX();
        BigInteger y = point.getAffineY();
        BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0 || !y.pow(2).mod(p).equals(right)) {
            throw new IllegalArgumentException("the key's point is not on the P-256 curve");
        }
    }

    private static BigInteger unsigned(JsonNode jwk, String field) {
        String value = jwk.path(field).asText("");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("the key has no " + field);
        }
        return new BigInteger(1, Base64.getUrlDecoder().decode(value));
    }

    /** Returns this key set as java-jwt's provider of RS256 verification keys. */
    RSAKeyProvider forRs256() {
        return new RSAKeyProvider() {
            @Override
            public RSAPublicKey getPublicKeyById(String keyId) {
                return key(keyId) instanceof RSAPublicKey rsa ? rsa : null;
            }

            @Override
            public RSAPrivateKey getPrivateKey() {
                return null;
            }

            @Override
            public String getPrivateKeyId() {
                return null;
            }
        };
    }

    /** Returns this key set as java-jwt's provider of ES256 verification keys. */
    ECDSAKeyProvider forEs256() {
        return new ECDSAKeyProvider() {
            @Override
            public ECPublicKey getPublicKeyById(String keyId) {
                return key(keyId) instanceof ECPublicKey ec ? ec : null;
            }

            @Override
            public ECPrivateKey getPrivateKey() {
                return null;
            }

            @Override
            public String getPrivateKeyId() {
                return null;
            }
        };
    }

    /** Collects a key set of at most {@value #MAX_BYTES} bytes, and fails a longer one. */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (bytes.size() + buffer.remaining() > MAX_BYTES) {
                    subscription.cancel();
                    body.completeExceptionally(tooLarge());
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }
    }
}
