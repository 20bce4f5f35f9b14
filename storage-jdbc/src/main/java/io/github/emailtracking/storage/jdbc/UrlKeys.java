package io.github.emailtracking.storage.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Turns a URL into the fixed-size key its rows are found by: a URL may be longer than an index
 * entry may be.
 */
final class UrlKeys {

    private UrlKeys() {}

    /** Returns the SHA-256 of the URL's UTF-8 bytes. */
    static byte[] of(String url) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(url.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
