package io.github.emailtracking.core;

import io.github.emailtracking.api.StoreException;
import io.github.emailtracking.api.spi.TrackingStore;
import java.security.SecureRandom;
import java.util.Base64;

/** Finds the link-signing key kept in a store, creating it on first use. */
final class LinkKeys {

    /** The store setting that holds the key, in base64. */
    static final String SETTING = "link-signing-key";

    private LinkKeys() {}

    /**
     * Returns the store's key, creating it on first use.
     *
     * @throws StoreException if the store fails, or keeps under the setting something that is not a
     *     key of at least {@value LinkSigner#MIN_KEY_BYTES} bytes in base64: the links in mail
     *     already sent were signed with the key it had, which no new one would verify
     */
    static byte[] fromStore(TrackingStore store) {
        String encoded = store.setting(SETTING, LinkKeys::newKey);
        byte[] key = decoded(encoded);
        if (key == null || key.length < LinkSigner.MIN_KEY_BYTES) {
            throw new StoreException(
                    "the store's setting "
                            + SETTING
                            + " holds no link-signing key of at least "
                            + LinkSigner.MIN_KEY_BYTES
                            + " bytes in base64; put back the key the links in mail were signed"
                            + " with, or give the tracker one with linkSigningKey");
        }
        return key;
    }

    private static byte[] decoded(String encoded) {
        if (encoded == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String newKey() {
        byte[] key = new byte[LinkSigner.MIN_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
