package io.github.emailtracking.servlet;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/** Makes bearer tokens for tests, good and bad. */
public final class Tokens {

    /** The HS256 secret the test servers verify with. */
    public static final byte[] SECRET =
            "a test secret that is long enough for HS256".getBytes(StandardCharsets.UTF_8);

    private Tokens() {}

    /** Returns a valid token for {@code subject}, good for an hour. */
    public static String owner(String subject) {
        return JWT.create()
                .withSubject(subject)
                .withExpiresAt(Instant.now().plus(Duration.ofHours(1)))
                .sign(Algorithm.HMAC256(SECRET));
    }

    /** Returns a valid token for {@code subject} with the admin role. */
    public static String admin(String subject) {
        return JWT.create()
                .withSubject(subject)
                .withArrayClaim("roles", new String[] {"admin"})
                .withExpiresAt(Instant.now().plus(Duration.ofHours(1)))
                .sign(Algorithm.HMAC256(SECRET));
    }

    static String expired(String subject) {
        return JWT.create()
                .withSubject(subject)
                .withExpiresAt(Instant.now().minus(Duration.ofMinutes(5)))
                .sign(Algorithm.HMAC256(SECRET));
    }

    static String withoutExpiry(String subject) {
        return JWT.create().withSubject(subject).sign(Algorithm.HMAC256(SECRET));
    }

    static String signedWith(byte[] secret, String subject) {
        return JWT.create()
                .withSubject(subject)
                .withExpiresAt(Instant.now().plus(Duration.ofHours(1)))
                .sign(Algorithm.HMAC256(secret));
    }

    static String hs512(String subject) {
        return JWT.create()
                .withSubject(subject)
                .withExpiresAt(Instant.now().plus(Duration.ofHours(1)))
                .sign(Algorithm.HMAC512(SECRET));
    }

    /** Returns an unsigned token ({@code alg: none}) claiming to be an admin. */
    static String unsigned(String subject) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String header =
                base64.encodeToString(
                        "{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        long exp = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
        String payload =
                base64.encodeToString(
                        ("{\"sub\":\"" + subject + "\",\"roles\":[\"admin\"],\"exp\":" + exp + "}")
                                .getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + ".";
    }
}
