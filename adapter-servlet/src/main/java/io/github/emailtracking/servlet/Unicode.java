package io.github.emailtracking.servlet;

import io.github.emailtracking.api.InvalidRequestException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/** Checks on text from requests that Java strings can hold but Unicode cannot. */
final class Unicode {

    private Unicode() {}

    /**
     * Refuses text holding half of a surrogate pair.
     *
     * @param what what the text is, to begin the message, such as {@code "field 'name'"}
     * @throws InvalidRequestException if it holds one
     */
    static void requireWhole(String text, String what) {
        if (text != null && hasLoneSurrogate(text)) {
            throw new InvalidRequestException(
                    what + " holds half of a surrogate pair; text must be valid Unicode");
        }
    }

    /**
     * Returns whether the text holds half of a UTF-16 surrogate pair, which a JSON escape can make
     * and which no store keeps as it was sent: it comes back as a question mark.
     */
    static boolean hasLoneSurrogate(String text) {
        return text.codePoints().anyMatch(c -> Character.getType(c) == Character.SURROGATE);
    }

    /**
     * Returns a header value as its sender most likely wrote it. The container reads header bytes
     * as ISO-8859-1, one character per byte, while clients that send other than ASCII send UTF-8;
     * so a value whose bytes are valid UTF-8 is read again as such. Any other value is kept.
     */
    static String headerText(String value) {
        if (value == null || !hasHighBytesOnly(value)) {
            return value;
        }
        byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return value;
        }
    }

    /** Returns whether the value holds a byte above ASCII and nothing above one byte. */
    private static boolean hasHighBytesOnly(String value) {
        boolean high = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xFF) {
                return false;
            }
            high |= c > 0x7F;
        }
        return high;
    }
}
