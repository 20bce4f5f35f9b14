package io.github.emailtracking.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.emailtracking.api.TrackingId;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LinkSignerTest {

    private static final byte[] KEY = new byte[32];
    private static final TrackingId ID = new TrackingId("abc123");
    private final LinkSigner signer = new LinkSigner(KEY);

    @Test
    void verify_ownSignature_isTrue() {
        String signature = signer.sign(ID, "https://example.com/p");

        assertThat(signature).hasSize(22).matches("[A-Za-z0-9_-]+");
        assertThat(signer.verify(ID, "https://example.com/p", signature)).isTrue();
    }

    @Test
    void verify_otherUrlOrOtherEmail_isFalse() {
        String signature = signer.sign(ID, "https://example.com/p");

        assertThat(signer.verify(ID, "https://example.com/q", signature)).isFalse();
        assertThat(signer.verify(new TrackingId("abc124"), "https://example.com/p", signature))
                .isFalse();
    }

    @Test
    void verify_otherKey_isFalse() {
        byte[] otherKey = Arrays.copyOf(KEY, 32);
        otherKey[0] = 1;
        String signature = new LinkSigner(otherKey).sign(ID, "https://example.com/p");

        assertThat(signer.verify(ID, "https://example.com/p", signature)).isFalse();
    }

    @Test
    void verify_otherSpellingOfTheSameBits_isFalse() {
        String signature = signer.sign(ID, "https://example.com/p");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(signature.charAt(21));
        // The last character carries two bits of the signature and four unused ones.
        String unusedBitSet = signature.substring(0, 21) + alphabet.charAt(last ^ 1);

        assertThat(signer.verify(ID, "https://example.com/p", signature + "==")).isFalse();
        assertThat(signer.verify(ID, "https://example.com/p", unusedBitSet)).isFalse();
    }

    @Test
    void verify_garbage_isFalse() {
        assertThat(signer.verify(ID, "https://example.com/p", "not base64 !")).isFalse();
        assertThat(signer.verify(ID, "https://example.com/p", "")).isFalse();
    }

    @Test
    void newSigner_shortKey_isRefused() {
        assertThatThrownBy(() -> new LinkSigner(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 32 bytes");
    }
}
