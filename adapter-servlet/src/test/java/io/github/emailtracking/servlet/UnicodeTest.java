package io.github.emailtracking.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UnicodeTest {

    @Test
    void headerText_utf8BytesReadOneCharacterEach_isReadAgainAsUtf8() {
        String sent = "Mail/1.0 \u00fcn\u00efc\u00f6d\u00e9 \u2713";
        String asRead =
                new String(sent.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);

        assertThat(Unicode.headerText(asRead)).isEqualTo(sent);
    }

    @Test
    void headerText_bytesThatAreNoUtf8_orAscii_areKept() {
        assertThat(Unicode.headerText("caf\u00e9 au lait")).isEqualTo("caf\u00e9 au lait");
        assertThat(Unicode.headerText("Mozilla/5.0")).isEqualTo("Mozilla/5.0");
        assertThat(Unicode.headerText("\u2713 wide")).isEqualTo("\u2713 wide");
        assertThat(Unicode.headerText(null)).isNull();
    }
}
