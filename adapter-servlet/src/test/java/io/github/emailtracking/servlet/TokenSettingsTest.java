package io.github.emailtracking.servlet;

import static io.github.emailtracking.servlet.Jwks.ecJwk;
import static io.github.emailtracking.servlet.Jwks.ecKeyPair;
import static io.github.emailtracking.servlet.Jwks.jwks;
import static io.github.emailtracking.servlet.Jwks.keyPair;
import static io.github.emailtracking.servlet.Jwks.keyServer;
import static io.github.emailtracking.servlet.Jwks.location;
import static io.github.emailtracking.servlet.Jwks.rsaJwk;
import static io.github.emailtracking.servlet.Jwks.withOperations;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import com.sun.net.httpserver.HttpServer;
import io.github.emailtracking.core.RegisteredEmail;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.EllipticCurve;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenSettingsTest extends RouteTestSupport {

    private static final KeyPair RSA = keyPair("RSA", 2048);
    private static final KeyPair OTHER_RSA = keyPair("RSA", 2048);
    private static final KeyPair EC = ecKeyPair();

    @TempDir Path dir;

    @Test
    void rs256PublicKey_acceptsItsTokens_andRefusesOthers() throws Exception {
        restartWith(TrackingServlet.builder().rsaPublicKey((RSAPublicKey) RSA.getPublic()));
        RegisteredEmail email = registerEmail("alice");

        assertThat(statusWith(email, rs256(RSA, "k1", "alice"))).isEqualTo(200);
        assertThat(statusWith(email, rs256(OTHER_RSA, "k1", "alice"))).isEqualTo(401);
        assertThat(statusWith(email, Tokens.owner("alice"))).isEqualTo(401);
    }

    @Test
    void rs256PublicKey_refusesHs256SignedWithThePublicKeyBytes() throws Exception {
        restartWith(TrackingServlet.builder().rsaPublicKey((RSAPublicKey) RSA.getPublic()));
        RegisteredEmail email = registerEmail("alice");
        String confused = Tokens.signedWith(RSA.getPublic().getEncoded(), "alice");

        assertThat(statusWith(email, confused)).isEqualTo(401);
    }

    @Test
    void es256PublicKey_acceptsItsTokens() throws Exception {
        restartWith(TrackingServlet.builder().ecPublicKey((ECPublicKey) EC.getPublic()));
        RegisteredEmail email = registerEmail("alice");

        assertThat(statusWith(email, es256(EC, "e1", "alice"))).isEqualTo(200);
        assertThat(statusWith(email, rs256(RSA, "k1", "alice"))).isEqualTo(401);
    }

    @Test
    void jwksFile_findsTheKeyByKid() throws Exception {
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, jwks(rsaJwk("k1", RSA), rsaJwk("k2", OTHER_RSA)));
        restartWith(TrackingServlet.builder().jwks(jwks.toUri(), "RS256"));
        RegisteredEmail email = registerEmail("alice");

        assertThat(statusWith(email, rs256(RSA, "k1", "alice"))).isEqualTo(200);
        assertThat(statusWith(email, rs256(OTHER_RSA, "k2", "alice"))).isEqualTo(200);
        assertThat(statusWith(email, rs256(OTHER_RSA, "k1", "alice"))).isEqualTo(401);
        assertThat(statusWith(email, rs256(RSA, "unknown", "alice"))).isEqualTo(401);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "[\"encrypt\"] | 401",
                "\"verify\" | 401",
                "[\"sign\",\"verify\"] | 200",
                "null | 200",
                "[] | 200"
            })
    void jwksFile_keyWhoseOperationsLeaveOutVerify_isNotUsed(String operations, int status)
            throws Exception {
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(
                jwks, jwks(withOperations(rsaJwk("k1", RSA), operations), rsaJwk("k2", OTHER_RSA)));
        restartWith(TrackingServlet.builder().jwks(jwks.toUri(), "RS256"));
        RegisteredEmail email = registerEmail("alice");

        assertThat(statusWith(email, rs256(RSA, "k1", "alice"))).isEqualTo(status);
        assertThat(statusWith(email, rs256(OTHER_RSA, "k2", "alice"))).isEqualTo(200);
    }

    @Test
    void jwksFile_weakRsaKeysOnly_isRefusedSayingWhy() throws Exception {
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, jwks(rsaJwk("weak", keyPair("RSA", 1024))));

        assertThatThrownBy(() -> TrackingServlet.builder().jwks(jwks.toUri(), "RS256"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the key set at "
                                + jwks.toUri()
                                + " holds no usable RS256 key: key \"weak\": the RSA key must"
                                + " have at least 2048 bits, not 1024");
    }

    @Test
    void jwksFile_missing_isRefusedSayingSo() {
        Path jwks = dir.resolve("missing.json");

        assertThatThrownBy(() -> TrackingServlet.builder().jwks(jwks.toUri(), "RS256"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the key set at "
                                + jwks.toUri()
                                + " holds no usable RS256 key: there is no such file");
    }

    @Test
    void jwksFile_es256_keepsOnlyP256Keys() throws Exception {
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, jwks(rsaJwk("k1", RSA), ecJwk("e1", EC)));
        restartWith(TrackingServlet.builder().jwks(jwks.toUri(), "ES256"));
        RegisteredEmail email = registerEmail("alice");

        assertThat(statusWith(email, es256(EC, "e1", "alice"))).isEqualTo(200);
        assertThat(statusWith(email, rs256(RSA, "k1", "alice"))).isEqualTo(401);
    }

    @Test
    void jwksUrl_isReadOnce_andReloadedForAnUnknownKidAtMostOnceAMinute() throws Exception {
        AtomicReference<String> document = new AtomicReference<>(jwks(rsaJwk("k1", RSA)));
        AtomicInteger fetches = new AtomicInteger();
        HttpServer keyServer =
                keyServer(
                        () -> {
                            fetches.incrementAndGet();
                            return document.get();
                        });
        try {
            restartWith(TrackingServlet.builder().jwks(location(keyServer), "RS256"));
            RegisteredEmail email = registerEmail("alice");
            document.set(jwks(rsaJwk("k1", RSA), rsaJwk("k2", OTHER_RSA)));

            int first = statusWith(email, rs256(RSA, "k1", "alice"));
            int rotated = statusWith(email, rs256(OTHER_RSA, "k2", "alice"));
            int unknown = statusWith(email, rs256(RSA, "k9", "alice"));

            assertThat(first).isEqualTo(200);
            assertThat(rotated).isEqualTo(200);
            assertThat(unknown).isEqualTo(401);
            assertThat(fetches.get()).isEqualTo(2);
        } finally {
            keyServer.stop(0);
        }
    }

    @ParameterizedTest
    @CsvSource({"http://127.0.0.1:1/jwks.json", "HTTP://127.0.0.1:1/jwks.json"})
    void jwksUrl_unreachableAtStartAndLater_answers503(String location) throws Exception {
        restartWith(TrackingServlet.builder().jwks(URI.create(location), "RS256"));
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response =
                get(
                        "/status/" + email.trackingId(),
                        "Authorization",
                        bearer(rs256(RSA, "k1", "alice")));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("success").asBoolean()).isFalse();
    }

    @Test
    void issuerAndAudience_whenConfigured_areRequired() throws Exception {
        restartWith(
                TrackingServlet.builder()
                        .hmacSecret(Tokens.SECRET)
                        .tokenIssuer("https://id.example")
                        .tokenAudience("email-tracking"));
        RegisteredEmail email = registerEmail("alice");
        Algorithm hs256 = Algorithm.HMAC256(Tokens.SECRET);
        Instant exp = Instant.now().plus(Duration.ofHours(1));

        String good =
                JWT.create()
                        .withSubject("alice")
                        .withIssuer("https://id.example")
                        .withAudience("email-tracking")
                        .withExpiresAt(exp)
                        .sign(hs256);
        String wrongIssuer =
                JWT.create()
                        .withSubject("alice")
                        .withIssuer("https://evil.example")
                        .withAudience("email-tracking")
                        .withExpiresAt(exp)
                        .sign(hs256);
        String noAudience =
                JWT.create()
                        .withSubject("alice")
                        .withIssuer("https://id.example")
                        .withExpiresAt(exp)
                        .sign(hs256);

        assertThat(statusWith(email, good)).isEqualTo(200);
        assertThat(statusWith(email, wrongIssuer)).isEqualTo(401);
        assertThat(statusWith(email, noAudience)).isEqualTo(401);
    }

    @Test
    void issuerAndAudience_missingOrWrong_messageNamesTheClaim() throws Exception {
        restartWith(
                TrackingServlet.builder()
                        .hmacSecret(Tokens.SECRET)
                        .tokenIssuer("https://id.example")
                        .tokenAudience("email-tracking"));
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> noIssuer = statusOf(email, token(null, "email-tracking"));
        HttpResponse<String> noAudience = statusOf(email, token("https://id.example", null));
        HttpResponse<String> wrongIssuer =
                statusOf(email, token("https://evil.example", "email-tracking"));
        HttpResponse<String> wrongAudience =
                statusOf(email, token("https://id.example", "other-service"));

        assertThat(noIssuer.statusCode()).isEqualTo(401);
        assertThat(noIssuer.headers().firstValue("WWW-Authenticate"))
                .get()
                .asString()
                .startsWith("Bearer");
        assertThat(json(noIssuer).get("message").asText())
                .isEqualTo("the bearer token has no iss claim, which is required");
        assertThat(json(noAudience).get("message").asText())
                .isEqualTo("the bearer token has no aud claim, which is required");
        assertThat(json(wrongIssuer).get("message").asText()).contains("issuer (iss)");
        assertThat(json(wrongAudience).get("message").asText()).contains("audience (aud)");
    }

    @Test
    void tokenWithoutExpiry_messageNamesExp() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response = statusOf(email, Tokens.withoutExpiry("alice"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("message").asText())
                .isEqualTo("the bearer token has no exp claim, which is required");
    }

    @Test
    void tokenWhoseExpiryIsNull_is401() throws Exception {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response =
                statusOf(email, signedHs256("{\"sub\":\"alice\",\"exp\":null}"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("message").asText())
                .isEqualTo("the bearer token's exp claim must be a time in seconds, not null");
    }

    @Test
    void leeway_acceptsATokenJustExpired() throws Exception {
        restartWith(TrackingServlet.builder().hmacSecret(Tokens.SECRET).tokenLeewaySeconds(120));
        RegisteredEmail email = registerEmail("alice");
        String justExpired =
                JWT.create()
                        .withSubject("alice")
                        .withExpiresAt(Instant.now().minusSeconds(30))
                        .sign(Algorithm.HMAC256(Tokens.SECRET));

        assertThat(statusWith(email, justExpired)).isEqualTo(200);
        assertThat(statusWith(email, Tokens.expired("alice"))).isEqualTo(401);
    }

    @Test
    void tokenIssuedByAClockAhead_isAccepted_butOneNotValidYetIsNot() {
        RegisteredEmail email = registerEmail("alice");
        Instant ahead = Instant.now().plusSeconds(120);
        String issuedAhead = aliceFor600Seconds(JWT.create().withIssuedAt(ahead), ahead);
        String notValidYet = aliceFor600Seconds(JWT.create().withNotBefore(ahead), ahead);

        assertThat(statusWith(email, issuedAhead)).isEqualTo(200);
        HttpResponse<String> refused =
                get("/status/" + email.trackingId(), "Authorization", bearer(notValidYet));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(json(refused).get("message").asText())
                .isEqualTo("the bearer token is not valid yet (nbf)");
    }

    private static String aliceFor600Seconds(JWTCreator.Builder token, Instant from) {
        return token.withSubject("alice")
                .withExpiresAt(from.plusSeconds(600))
                .sign(Algorithm.HMAC256(Tokens.SECRET));
    }

    @Test
    void tokenWithoutSubject_is401() {
        RegisteredEmail email = registerEmail("alice");
        String noSubject =
                JWT.create()
                        .withExpiresAt(Instant.now().plusSeconds(600))
                        .sign(Algorithm.HMAC256(Tokens.SECRET));

        HttpResponse<String> response =
                get("/status/" + email.trackingId(), "Authorization", bearer(noSubject));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("message").asText()).contains("subject");
    }

    @Test
    void tokenWhoseSubjectIsNotAString_is401() {
        RegisteredEmail email = registerEmail("alice");
        String numberSubject =
                JWT.create()
                        .withClaim("sub", 5)
                        .withExpiresAt(Instant.now().plusSeconds(600))
                        .sign(Algorithm.HMAC256(Tokens.SECRET));

        HttpResponse<String> response =
                get("/status/" + email.trackingId(), "Authorization", bearer(numberSubject));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("message").asText())
                .isEqualTo("the bearer token has no subject (sub) that is a string");
    }

    @Test
    void tokenWhoseSubjectHoldsHalfASurrogatePair_is401() throws Exception {
        RegisteredEmail email = registerEmail("alice");
        String token = signedHs256(claimsOf("\"\\ud800\""));

        HttpResponse<String> response =
                get("/status/" + email.trackingId(), "Authorization", bearer(token));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("message").asText())
                .isEqualTo("the bearer token's subject (sub) is not valid Unicode text");
    }

    @Test
    void tokenNamingCriticalExtensions_is401() throws Exception {
        RegisteredEmail email = registerEmail("alice");
        String token =
                signedHs256(
                        "{\"alg\":\"HS256\",\"crit\":[\"foo\"],\"foo\":1}", claimsOf("\"alice\""));

        HttpResponse<String> response =
                get("/status/" + email.trackingId(), "Authorization", bearer(token));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("message").asText())
                .isEqualTo(
                        "the bearer token names extensions (crit) that this server does not know");
    }

    @Test
    void tokenWhoseHeaderOrClaimsGoOnAfterTheirJson_is401() throws Exception {
        RegisteredEmail email = registerEmail("alice");
        String claims = claimsOf("\"alice\"");
        String header = "{\"alg\":\"HS256\"}";

        int whole = statusWith(email, signedHs256(header, claims));
        int claimsGoOn = statusWith(email, signedHs256(header, claims + " x"));
        int headerGoesOn = statusWith(email, signedHs256(header + "{}", claims));

        assertThat(whole).isEqualTo(200);
        assertThat(claimsGoOn).isEqualTo(401);
        assertThat(headerGoesOn).isEqualTo(401);
    }

    /**
     * A key named twice is read differently by different parsers: the verifier takes the last
     * value, another could take the first, so such a token could be an admin to one and not to the
     * other.
     */
    @Test
    void tokenNamingAClaimOrAHeaderKeyTwice_is401() throws Exception {
        RegisteredEmail email = registerEmail("bob");
        String exp = "\"exp\":" + Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
        String header = "{\"alg\":\"HS256\"}";
        String admin = "{\"sub\":\"mallory\",\"roles\":[\"admin\"]," + exp + "}";
        String rolesTwice = "{\"sub\":\"mallory\",\"roles\":[1],\"roles\":[\"admin\"]," + exp + "}";

        int once = statusWith(email, signedHs256(header, admin));
        int claimTwice = statusWith(email, signedHs256(header, rolesTwice));
        int headerKeyTwice =
                statusWith(email, signedHs256("{\"alg\":\"HS256\",\"alg\":\"HS256\"}", admin));

        assertThat(once).isEqualTo(200);
        assertThat(claimTwice).isEqualTo(401);
        assertThat(headerKeyTwice).isEqualTo(401);
    }

    @Test
    void tokenWhoseSignatureEndsInBitsNoByteUses_is401() throws Exception {
        RegisteredEmail email = registerEmail("alice");
        String token = signedHs256(claimsOf("\"alice\""));
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(token.charAt(token.length() - 1));
        // 32 bytes of HMAC end in a character whose two low bits carry no data.
        String otherSpelling = token.substring(0, token.length() - 1) + alphabet.charAt(last ^ 1);

        assertThat(statusWith(email, token)).isEqualTo(200);
        assertThat(statusWith(email, otherSpelling)).isEqualTo(401);
    }

    /** Returns claims with the subject written as {@code subject}, valid for ten minutes. */
    private static String claimsOf(String subject) {
        return "{\"sub\":"
                + subject
                + ",\"exp\":"
                + Instant.now().plusSeconds(600).getEpochSecond()
                + "}";
    }

    /** Signs claims written by hand, which a JWT library would not write. */
    private static String signedHs256(String claims) throws Exception {
        return signedHs256("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims);
    }

    /** Signs a header and claims written by hand. */
    private static String signedHs256(String header, String claims) throws Exception {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String unsigned =
                base64.encodeToString(header.getBytes(UTF_8))
                        + "."
                        + base64.encodeToString(claims.getBytes(UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Tokens.SECRET, "HmacSHA256"));
        return unsigned + "." + base64.encodeToString(mac.doFinal(unsigned.getBytes(UTF_8)));
    }

    @Test
    void builder_refusesWeakOrDoubleKeys() {
        assertThatThrownBy(() -> TrackingServlet.builder().hmacSecret(new byte[31]))
                .hasMessage("the HMAC secret must be at least 32 bytes, not 31");
        assertThatThrownBy(
                        () ->
                                TrackingServlet.builder()
                                        .rsaPublicKey(
                                                (RSAPublicKey) keyPair("RSA", 1024).getPublic()))
                .hasMessageContaining("at least 2048 bits");
        assertThatThrownBy(
                        () ->
                                TrackingServlet.builder()
                                        .hmacSecret(Tokens.SECRET)
                                        .rsaPublicKey((RSAPublicKey) RSA.getPublic()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only one token key");
        assertThatThrownBy(
                        () -> TrackingServlet.builder().jwks(URI.create("ftp://x/jwks"), "RS256"))
                .hasMessageContaining("file:, https: or http:");
        assertThatThrownBy(() -> TrackingServlet.builder().jwks(dir.toUri(), "HS256"))
                .hasMessageContaining("RS256 or ES256");
        assertThatThrownBy(() -> TrackingServlet.builder().tracker(tracker).build())
                .hasMessageContaining("a token key is required");
        assertThatThrownBy(() -> TrackingServlet.builder().tokenLeewaySeconds(301))
                .hasMessageContaining("from 0 to 300");
    }

    @Test
    void builder_ecKeyOnAnotherCurveOf256Bits_isRefused() {
        ECPublicKey onSecp256k1 = publicKeyAtTheGenerator(secp256k1());

        assertThatThrownBy(() -> TrackingServlet.builder().ecPublicKey(onSecp256k1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "ES256 needs a key on the P-256 curve (secp256r1), not a key on another"
                                + " curve of 256 bits");
    }

    @Test
    void builder_jwksWithoutAnAlgorithm_namesIt() {
        assertThatThrownBy(() -> TrackingServlet.builder().jwks(dir.toUri(), null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("algorithm");
    }

    /**
     * Returns the parameters of secp256k1 (SEC 2), a curve of 256 bits that Java 17 no longer makes
     * keys on.
     */
    private static ECParameterSpec secp256k1() {
        BigInteger p = hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F");
        EllipticCurve curve =
                new EllipticCurve(new ECFieldFp(p), BigInteger.ZERO, BigInteger.valueOf(7));
        ECPoint generator =
                new ECPoint(
                        hex("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798"),
                        hex("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8"));
        BigInteger order = hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");
        return new ECParameterSpec(curve, generator, order, 1);
    }

    private static BigInteger hex(String digits) {
        return new BigInteger(digits, 16);
    }

    /** Returns the public key of the private key 1 on a curve: its generator. */
    private static ECPublicKey publicKeyAtTheGenerator(ECParameterSpec curve) {
        return new ECPublicKey() {
            @Override
            public ECPoint getW() {
                return curve.getGenerator();
            }

            @Override
            public ECParameterSpec getParams() {
                return curve;
            }

            @Override
            public String getAlgorithm() {
                return "EC";
            }

            @Override
            public String getFormat() {
                return null;
            }

            @Override
            public byte[] getEncoded() {
                return null;
            }
        };
    }

    private int statusWith(RegisteredEmail email, String token) {
        return get("/status/" + email.trackingId(), "Authorization", bearer(token)).statusCode();
    }

    private HttpResponse<String> statusOf(RegisteredEmail email, String token) {
        return get("/status/" + email.trackingId(), "Authorization", bearer(token));
    }

    private static String token(String issuer, String audience) {
        JWTCreator.Builder token =
                JWT.create()
                        .withSubject("alice")
                        .withExpiresAt(Instant.now().plus(Duration.ofHours(1)));
        if (issuer != null) {
            token.withIssuer(issuer);
        }
        if (audience != null) {
            token.withAudience(audience);
        }
        return token.sign(Algorithm.HMAC256(Tokens.SECRET));
    }

    private static String rs256(KeyPair keys, String kid, String subject) {
        return JWT.create()
                .withKeyId(kid)
                .withSubject(subject)
                .withExpiresAt(Instant.now().plus(Duration.ofHours(1)))
                .sign(
                        Algorithm.RSA256(
                                (RSAPublicKey) keys.getPublic(),
                                (RSAPrivateKey) keys.getPrivate()));
    }

    private static String es256(KeyPair keys, String kid, String subject) {
        return JWT.create()
                .withKeyId(kid)
                .withSubject(subject)
                .withExpiresAt(Instant.now().plus(Duration.ofHours(1)))
                .sign(
                        Algorithm.ECDSA256(
                                (ECPublicKey) keys.getPublic(), (ECPrivateKey) keys.getPrivate()));
    }

    @Test
    void jwksFile_onlyKeysWhoseOperationsLeaveOutVerify_isRefusedSayingSo() throws Exception {
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, jwks(withOperations(rsaJwk("k1", RSA), "[\"encrypt\"]")));

        assertThatThrownBy(() -> TrackingServlet.builder().jwks(jwks.toUri(), "RS256"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the key set at "
                                + jwks.toUri()
                                + " holds no usable RS256 key: key \"k1\": its key_ops do not"
                                + " list verify");
    }

    @Test
    void jwksFile_onlyAKeyWithoutKidWhoseOperationsLeaveOutVerify_isRefusedSayingSo()
            throws Exception {
        Path jwks = dir.resolve("jwks.json");
        String withoutKid =
                withOperations(rsaJwk("k1", RSA), "[\"encrypt\"]").replace("\"kid\":\"k1\",", "");
        Files.writeString(jwks, jwks(withoutKid));

        assertThatThrownBy(() -> TrackingServlet.builder().jwks(jwks.toUri(), "RS256"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith(
                        "holds no usable RS256 key: a key without a kid: its key_ops do not list"
                                + " verify");
    }
}
