package io.github.emailtracking.servlet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.List;

/**
 * An optional shared secret that mail flows send in a header with every webhook call. Compared in
 * constant time, by digest, so neither its content nor its length leaks through timing.
 */
final class WebhookSecret {

    /** The header that carries the secret. */
    static final String HEADER = "X-Tracking-Secret";

    /**
     * The challenge of a 401 for a webhook call without the secret, which every 401 carries (RFC
     * 9110): no registered scheme fits a shared secret in a header of its own, so the header's name
     * stands as the scheme.
     */
    static final String CHALLENGE = HEADER + " realm=\"email-tracking\"";

    /** Accepts every call: the default, as the documented webhooks are open. */
    static final WebhookSecret NONE = new WebhookSecret(null);

    private static final int MIN_LENGTH = 16;

    private final byte[] digest;

    private WebhookSecret(byte[] digest) {
        this.digest = digest;
    }

    static WebhookSecret of(String secret) {
        if (secret == null || secret.length() < MIN_LENGTH) {
            throw new IllegalArgumentException(
                    "the webhook secret must be at least " + MIN_LENGTH + " characters");
        }
        // A header drops spaces around its value and cannot carry a line break, so such a secret
        // could never be sent.
        boolean sendable =
                secret.equals(secret.strip()) && secret.chars().allMatch(c -> c > 0x1F && c < 0x7F);
        if (!sendable) {
            throw new IllegalArgumentException(
                    "the webhook secret must be printable ASCII, without spaces at its ends");
        }
        return new WebhookSecret(sha256(secret));
    }

    /**
     * Fails unless the request carries the secret, when one is configured.
     *
     * @throws WebhookSecretException if it does not
     */
    void check(Exchange exchange) {
        if (digest == null) {
            return;
        }
        List<String> given = Collections.list(exchange.request().getHeaders(HEADER));
        if (given.size() != 1 || !MessageDigest.isEqual(digest, sha256(given.get(0)))) {
            throw new WebhookSecretException();
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** The webhook call lacks the configured secret. HTTP answers 401. */
    static final class WebhookSecretException
            extends io.github.emailtracking.api.TrackingException {

        private static final long serialVersionUID = 1L;

        WebhookSecretException() {
            super("this webhook needs one " + HEADER + " header with the configured secret");
        }
    }
}
