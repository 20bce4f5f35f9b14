package io.github.emailtracking.core;

import io.github.emailtracking.api.spi.TrackingStore;
import java.security.SecureRandom;
import java.util.Base64;

/** Finds the link-signing key kept in a store, creating it on first use. */
final class LinkKeys {

    /** The store setting that holds the key, in base64. */
    static final String SETTING = "link-signing-key";

    private LinkKeys() {}

    static byte[] fromStore(TrackingStore store) {
        String encoded = store.setting(SETTING, LinkKeys::newKey);
        return Base64.getDecoder().decode(encoded);
    }

    private static String newKey() {
        byte[] key = new byte[LinkSigner.MIN_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
