package io.github.emailtracking.servlet;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.MissingClaimException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.Verification;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.emailtracking.api.Viewer;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns an {@code Authorization: Bearer} header into a {@link Viewer}. The algorithm is fixed when
 * the authenticator is built and never taken from a token's header; {@code exp} is required.
 * Thread-safe.
 */
final class JwtAuthenticator {

    /** The claim whose list (or space-separated string) of roles may hold {@value #ADMIN}. */
    static final String ROLES_CLAIM = "roles";

    /** The role that sees every campaign. */
    static final String ADMIN = "admin";

    private static final String BEARER = "Bearer ";

    /**
     * A signed token's one spelling (RFC 7515): three parts in unpadded base64url. The decoder
     * takes padding and the other base64 alphabet too, which would give one token many spellings.
     */
    private static final Pattern COMPACT_FORM =
            Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    private static final int MAX_TOKEN_LENGTH = 8192;

    private static final ObjectMapper STRICT_JSON =
            JsonMapper.builder()
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build();

    private final JWTVerifier verifier;
    private final String tenantClaim;

    JwtAuthenticator(
            Algorithm algorithm,
            String issuer,
            String audience,
            long leewaySeconds,
            String tenantClaim) {
        this.tenantClaim = tenantClaim;
        // The issue time only informs (RFC 7519): a token that an issuer whose clock runs ahead
        // signed "in the future" is as valid as any other within its nbf and exp.
        Verification verification =
                JWT.require(algorithm)
                        .withClaimPresence("exp")
                        .acceptLeeway(leewaySeconds)
                        .ignoreIssuedAt();
        if (issuer != null) {
            verification.withIssuer(issuer);
        }
        if (audience != null) {
            verification.withAudience(audience);
        }
        this.verifier = verification.build();
    }

    /**
     * Returns the viewer a valid token stands for.
     *
     * @param authorization the {@code Authorization} header, or null
     * @throws AuthenticationException if the header is missing or its token is not valid
     */
    Viewer authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, 7)) {
            throw new AuthenticationException(
                    "this route needs an Authorization: Bearer <token> header", false);
        }
        String token = authorization.substring(BEARER.length()).strip();
        if (token.length() > MAX_TOKEN_LENGTH || !COMPACT_FORM.matcher(token).matches()) {
            throw new AuthenticationException("the bearer token is not valid", true);
        }
        DecodedJWT jwt = verify(token);
        requireExpiry(jwt);
        requireCanonicalSignature(jwt);
        requireNothingAfterTheJson(jwt);
        if (!jwt.getHeaderClaim("crit").isMissing()) {
            throw new AuthenticationException(
                    "the bearer token names extensions (crit) that this server does not know",
                    true);
        }
        // A subject is text (RFC 7519); the decoder would also turn a number into one.
        String subject = jwt.getClaim("sub").asString();
        if (subject == null || subject.isBlank()) {
            throw new AuthenticationException(
                    "the bearer token has no subject (sub) that is a string", true);
        }
        // Stored, such text comes back as another owner's name: "?" for each half pair.
        if (Unicode.hasLoneSurrogate(subject)) {
            throw new AuthenticationException(
                    "the bearer token's subject (sub) is not valid Unicode text", true);
        }
        return new Viewer(subject, tenant(jwt), hasAdminRole(jwt.getClaim(ROLES_CLAIM)));
    }

    private DecodedJWT verify(String token) {
        try {
            return verifier.verify(token);
        } catch (TokenExpiredException e) {
            throw new AuthenticationException("the bearer token has expired", true);
        } catch (MissingClaimException e) {
            throw new AuthenticationException(
                    "the bearer token has no " + e.getClaimName() + " claim, which is required",
                    true);
        } catch (IncorrectClaimException e) {
            throw new AuthenticationException(wrongClaimMessage(e.getClaimName()), true);
        } catch (JWTVerificationException e) {
            throw new AuthenticationException("the bearer token is not valid", true);
        }
    }

    /**
     * Refuses an expiry written as JSON null: the verifier counts it as present, then has no time
     * to check, so such a token would never expire.
     */
    private static void requireExpiry(DecodedJWT jwt) {
        if (jwt.getExpiresAt() == null) {
            throw new AuthenticationException(
                    "the bearer token's exp claim must be a time in seconds, not null", true);
        }
    }

    /**
     * Refuses a signature whose last character has bits set that no byte uses: the decoder drops
     * them, which would give one signature several spellings. The header and claims need no such
     * check, since the signature covers them as written.
     */
    private static void requireCanonicalSignature(DecodedJWT jwt) {
        String signature = jwt.getSignature();
        Base64.Encoder canonical = Base64.getUrlEncoder().withoutPadding();
        if (!canonical.encodeToString(Base64.getUrlDecoder().decode(signature)).equals(signature)) {
            throw new AuthenticationException("the bearer token is not valid", true);
        }
    }

    /**
     * Refuses a token whose header or claims go on after their JSON object: the decoder reads the
     * object and ignores the rest, which would give one token many spellings; and one that names a
     * key twice, whose value the decoder takes from the last, where other readers of the same token
     * may take the first.
     */
    private static void requireNothingAfterTheJson(DecodedJWT jwt) {
        for (String part : List.of(jwt.getHeader(), jwt.getPayload())) {
            try {
                STRICT_JSON.readTree(Base64.getUrlDecoder().decode(part));
            } catch (IOException | IllegalArgumentException e) {
                throw new AuthenticationException("the bearer token is not valid", true);
            }
        }
    }

    private static String wrongClaimMessage(String claim) {
        return switch (claim) {
            case "iss" -> "the bearer token's issuer (iss) is not the one this server accepts";
            case "aud" -> "the bearer token's audience (aud) does not name this server";
            case "nbf" -> "the bearer token is not valid yet (nbf)";
            default -> "the bearer token's " + claim + " claim is not accepted";
        };
    }

    /**
     * Returns the token's tenant, or null when tenants are not used or the token has no such claim.
     * A claim of any other kind than text is refused: read as no tenant, it would make an admin of
     * one organisation an admin of all.
     */
    private String tenant(DecodedJWT jwt) {
        if (tenantClaim == null) {
            return null;
        }
        Claim claim = jwt.getClaim(tenantClaim);
        if (claim.isMissing()) {
            return null;
        }
        String tenant = claim.asString();
        if (tenant == null || tenant.isBlank() || Unicode.hasLoneSurrogate(tenant)) {
            throw new AuthenticationException(
                    "the bearer token's "
                            + tenantClaim
                            + " claim must be text naming an organisation, or absent",
                    true);
        }
        return tenant;
    }

    /**
     * Returns whether the token's roles name {@value #ADMIN}. Roles of any other kind than a list
     * of names or a string of them are refused, as a tenant of another kind is: read as no roles,
     * they would leave an admin wondering why every campaign but their own is out of sight.
     */
    private static boolean hasAdminRole(Claim roles) {
        if (roles.isMissing() || roles.isNull()) {
            return false;
        }
        String text = roles.asString();
        if (text != null) {
            return List.of(text.split(" ")).contains(ADMIN);
        }
        List<Object> names = roles.asList(Object.class);
        if (names == null || !names.stream().allMatch(String.class::isInstance)) {
            throw new AuthenticationException(
                    "the bearer token's roles claim must be a list of role names or a string of"
                            + " them separated by spaces, or absent",
                    true);
        }
        return names.contains(ADMIN);
    }
}
