package io.github.emailtracking.examples;

import io.github.emailtracking.servlet.TrackingServlet;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How the standalone server checks bearer tokens: HS256 with a secret (the default), RS256 or ES256
 * with a PEM public key, or RS256 or ES256 with a JSON Web Key Set.
 *
 * @param algorithm {@code TRACKING_JWT_ALGORITHM}: HS256 (default), RS256 or ES256
 * @param hmacSecret {@code TRACKING_JWT_SECRET}, for HS256; empty to use a generated one
 * @param publicKey {@code TRACKING_JWT_PUBLIC_KEY}: a PEM file, for RS256 or ES256
 * @param jwks {@code TRACKING_JWKS_URL}: a {@code file:} or {@code https:} URL, for RS256 or ES256
 * @param issuer {@code TRACKING_JWT_ISSUER}, required in tokens when set
 * @param audience {@code TRACKING_JWT_AUDIENCE}, required in tokens when set
 * @param leewaySeconds {@code TRACKING_JWT_LEEWAY_SECONDS}, default 0
 * @param tenantClaim {@code TRACKING_TENANT_CLAIM}: the claim that names a token's organisation
 */
record TokenConfig(
        String algorithm,
        Optional<byte[]> hmacSecret,
        Optional<PublicKey> publicKey,
        Optional<URI> jwks,
        Optional<String> issuer,
        Optional<String> audience,
        long leewaySeconds,
        Optional<String> tenantClaim) {

    static final int MIN_SECRET_BYTES = 32;

    static TokenConfig fromEnvironment(ServerConfig.Settings settings) {
        String given = settings.text("TRACKING_JWT_ALGORITHM").orElse("HS256").strip();
        String algorithm = given.toUpperCase(Locale.ROOT);
        boolean known = List.of("HS256", "RS256", "ES256").contains(algorithm);
        if (!known) {
            settings.problem("TRACKING_JWT_ALGORITHM must be HS256, RS256 or ES256, not " + given);
        }
        Optional<byte[]> secret = settings.bytes("TRACKING_JWT_SECRET", MIN_SECRET_BYTES);
        Optional<PublicKey> key =
                settings.text("TRACKING_JWT_PUBLIC_KEY").flatMap(file -> publicKey(file, settings));
        Optional<URI> jwks = settings.text("TRACKING_JWKS_URL").flatMap(url -> uri(url, settings));
        boolean keyGiven = settings.text("TRACKING_JWT_PUBLIC_KEY").isPresent();
        boolean jwksGiven = settings.text("TRACKING_JWKS_URL").isPresent();
        if (known) {
            // Which keys an unknown algorithm needs is no question worth answering.
            checkKeysFitTheAlgorithm(algorithm, secret, key, keyGiven == jwksGiven, settings);
        }

        return new TokenConfig(
                algorithm,
                secret,
                key,
                jwks,
                settings.text("TRACKING_JWT_ISSUER"),
                settings.text("TRACKING_JWT_AUDIENCE"),
                settings.number("TRACKING_JWT_LEEWAY_SECONDS", 0, 0, 300),
                settings.text("TRACKING_TENANT_CLAIM"));
    }

    /** Returns whether the server makes (and keeps) its own HS256 secret. */
    boolean generatesSecret() {
        return algorithm.equals("HS256") && hmacSecret.isEmpty();
    }

    /** Sets these token settings on {@code servlet}; {@code generated} is used when needed. */
    void applyTo(TrackingServlet.Builder servlet, byte[] generated) {
        if (jwks.isPresent()) {
            servlet.jwks(jwks.get(), algorithm);
        } else if (publicKey.isPresent() && publicKey.get() instanceof RSAPublicKey rsa) {
            servlet.rsaPublicKey(rsa);
        } else if (publicKey.isPresent()) {
            servlet.ecPublicKey((ECPublicKey) publicKey.get());
        } else {
            servlet.hmacSecret(hmacSecret.orElse(generated));
        }
        issuer.ifPresent(servlet::tokenIssuer);
        audience.ifPresent(servlet::tokenAudience);
        tenantClaim.ifPresent(servlet::tenantClaim);
        servlet.tokenLeewaySeconds(leewaySeconds);
    }

    private static void checkKeysFitTheAlgorithm(
            String algorithm,
            Optional<byte[]> secret,
            Optional<PublicKey> key,
            boolean noneOrBothKeySources,
            ServerConfig.Settings settings) {
        boolean hmac = algorithm.equals("HS256");
        if (hmac && !noneOrBothKeySources) {
            settings.problem(
                    "TRACKING_JWT_PUBLIC_KEY and TRACKING_JWKS_URL need"
                            + " TRACKING_JWT_ALGORITHM=RS256 or ES256");
        }
        if (!hmac && secret.isPresent()) {
            settings.problem(
                    "TRACKING_JWT_SECRET is for HS256; " + algorithm + " needs a public key");
        }
        if (!hmac && noneOrBothKeySources) {
            settings.problem(
                    algorithm
                            + " needs exactly one of TRACKING_JWT_PUBLIC_KEY and"
                            + " TRACKING_JWKS_URL");
        }
        boolean keyFits =
                key.isEmpty()
                        || (algorithm.equals("RS256") && key.get() instanceof RSAPublicKey)
                        || (algorithm.equals("ES256") && key.get() instanceof ECPublicKey);
        if (!hmac && !keyFits) {
            settings.problem("TRACKING_JWT_PUBLIC_KEY is not a key for " + algorithm);
        }
    }

    private static Optional<PublicKey> publicKey(String file, ServerConfig.Settings settings) {
        try {
            String pem = Files.readString(Path.of(file));
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
            for (String type : List.of("RSA", "EC")) {
                try {
                    return Optional.of(KeyFactory.getInstance(type).generatePublic(spec));
                } catch (GeneralSecurityException e) {
                    // Not this type; try the next.
                }
            }
            settings.problem(
                    "TRACKING_JWT_PUBLIC_KEY " + file + " holds no RSA or EC public key in PEM");
        } catch (IOException | IllegalArgumentException e) {
            settings.problem(
                    "TRACKING_JWT_PUBLIC_KEY " + file + " cannot be read: " + e.getMessage());
        }
        return Optional.empty();
    }

    private static Optional<URI> uri(String url, ServerConfig.Settings settings) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri != null && "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null) {
            return Optional.of(uri);
        }
        if (uri != null && "file".equalsIgnoreCase(uri.getScheme())) {
            return readableFile(uri, settings);
        }
        // A key set fetched over plain http could be replaced on the way, and with it the keys.
        settings.problem(
                uri == null
                        ? "TRACKING_JWKS_URL is not a URL (a space must be written %20)"
                        : "TRACKING_JWKS_URL must be a file: or https: URL"
                                + (uri.getScheme() == null
                                        ? ""
                                        : ", not a " + uri.getScheme() + ": URL"));
        return Optional.empty();
    }

    private static Optional<URI> readableFile(URI uri, ServerConfig.Settings settings) {
        try {
            if (Files.isReadable(Path.of(uri))) {
                return Optional.of(uri);
            }
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            // Reported below.
        }
        settings.problem("TRACKING_JWKS_URL " + uri + " is not a readable file");
        return Optional.empty();
    }
}
