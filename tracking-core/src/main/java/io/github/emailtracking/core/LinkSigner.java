package io.github.emailtracking.core;

import io.github.emailtracking.api.TrackingId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a (tracking id, target URL) pair with HMAC-SHA256 under a server-side key, so that the
 * click route redirects only where the sender meant. A signature is the first 128 bits of the MAC
 * in base64url (22 characters). Thread-safe.
 */
final class LinkSigner {

    /** Shortest key accepted: the HMAC-SHA256 block of security, 256 bits. */
    static final int MIN_KEY_BYTES = 32;

    private static final String ALGORITHM = "HmacSHA256";
    private static final int SIGNATURE_BYTES = 16;

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    LinkSigner(byte[] key) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "link signing key must be at least "
                            + MIN_KEY_BYTES
                            + " bytes, not "
                            + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    }

    /** Returns the signature of {@code url} for the email {@code id}. */
    String sign(TrackingId id, String url) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(id, url));
    }

    /**
     * Returns whether {@code signature} is the one {@link #sign} makes for this pair, spelled as it
     * spells it: one link has one signature, so padding or other spellings of the same bits do not
     * pass.
     */
    boolean verify(TrackingId id, String url, String signature) {
        byte[] expected = sign(id, url).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] mac(TrackingId id, String url) {
        Mac mac = macs.get();
        mac.update(id.value().getBytes(StandardCharsets.UTF_8));
        mac.update((byte) '\n');
        return Arrays.copyOf(mac.doFinal(url.getBytes(StandardCharsets.UTF_8)), SIGNATURE_BYTES);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot compute " + ALGORITHM, e);
        }
    }
}
