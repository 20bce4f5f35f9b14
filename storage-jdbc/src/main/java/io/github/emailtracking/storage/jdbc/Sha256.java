package io.github.emailtracking.storage.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256: the fixed-size key of a text that may be longer than an index entry may be (a URL, a
 * file name), and the fingerprint of an attachment's content.
 */
final class Sha256 {

    private Sha256() {}

    /** Returns the SHA-256 of the text's UTF-8 bytes. */
    static byte[] of(String text) {
        return newDigest().digest(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Returns a digest to feed content to, a part at a time. */
    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
