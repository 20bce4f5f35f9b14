package io.github.emailtracking.servlet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.ObjIntConsumer;

/**
 * Opens a JSON body in the Unicode encoding its first bytes show, as RFC 4627 tells them apart:
 * UTF-8, or UTF-16 or UTF-32 in either byte order, with or without a byte order mark. Text that is
 * not valid in that encoding fails the read with a {@link CharacterCodingException}, as the
 * parser's own UTF-8 reading fails on bytes that are not UTF-8: the decoders that the parser would
 * take for UTF-16 put U+FFFD in the place of a lone surrogate and of the character after it, which
 * can be the quote that ends a string; and UTF-32 is read by a {@link Utf32Reader}, which refuses a
 * surrogate's code point.
 */
final class JsonText {

    private static final Charset UTF_32BE = Charset.forName("UTF-32BE");
    private static final Charset UTF_32LE = Charset.forName("UTF-32LE");

    /** The most bytes an encoding read here takes for an ASCII character: UTF-32's. */
    static final int MAX_BYTES_PER_ASCII_CHARACTER = 4;

    /** The longest byte order mark: UTF-32's. */
    static final int MAX_BYTE_ORDER_MARK_LENGTH = 4;

    /** Enough of the body to tell its encoding by: the longest byte order mark. */
    private static final int HEAD = MAX_BYTE_ORDER_MARK_LENGTH;

    private JsonText() {}

    /** Returns a parser of a body held in full. */
    static JsonParser parser(JsonFactory factory, byte[] body) throws IOException {
        Charset encoding = encodingOf(body);
        if (encoding.equals(StandardCharsets.UTF_8)) {
            // The parser reads UTF-8 strictly, and skips its byte order mark itself.
            return factory.createParser(body);
        }
        InputStream text = new ByteArrayInputStream(body);
        text.skipNBytes(byteOrderMarkLength(body));
        return parser(factory, text, encoding);
    }

    /**
     * Returns a parser of a body read as it streams in, once {@code check} has taken the encoding
     * its first bytes show and the length of its byte order mark, none but 0, as to weigh the
     * body's declared length by them. The mark is no character of the text, and is not read as one.
     */
    static JsonParser parser(JsonFactory factory, InputStream body, ObjIntConsumer<Charset> check)
            throws IOException {
        BufferedInputStream in = new BufferedInputStream(body);
        in.mark(HEAD);
        byte[] head = in.readNBytes(HEAD);
        in.reset();
        Charset encoding = encodingOf(head);
        int mark =
                encoding.equals(StandardCharsets.UTF_8)
                        ? utf8ByteOrderMarkLength(head)
                        : byteOrderMarkLength(head);
        check.accept(encoding, mark);
        in.skipNBytes(mark);
        if (encoding.equals(StandardCharsets.UTF_8)) {
            return factory.createParser(in);
        }
        return parser(factory, in, encoding);
    }

    /**
     * Returns how many bytes the encoding takes for an ASCII character, such as those of JSON's
     * syntax and of base64: one in UTF-8, two in UTF-16, four in UTF-32.
     */
    static int bytesPerAsciiCharacter(Charset encoding) {
        return "{".getBytes(encoding).length;
    }

    /** Returns the length of the UTF-8 byte order mark the body begins with, or 0. */
    static int utf8ByteOrderMarkLength(byte[] body) {
        return startsWith(body, 0xEF, 0xBB, 0xBF) ? 3 : 0;
    }

    /** Returns the message for a body that is not valid text in its encoding. */
    static String notValidText() {
        return "request body is not valid text in the encoding its first bytes show (UTF-8,"
                + " UTF-16 or UTF-32): it holds a byte sequence that is no character, such as half"
                + " of a surrogate pair";
    }

    /** Returns a parser of text in UTF-16 or UTF-32, whose byte order mark was read already. */
    private static JsonParser parser(JsonFactory factory, InputStream in, Charset encoding)
            throws IOException {
        if (encoding.equals(UTF_32BE) || encoding.equals(UTF_32LE)) {
            return factory.createParser(new Utf32Reader(in, encoding.equals(UTF_32BE)));
        }
        InputStreamReader text =
                new InputStreamReader(
                        in,
                        encoding.newDecoder()
                                .onMalformedInput(CodingErrorAction.REPORT)
                                .onUnmappableCharacter(CodingErrorAction.REPORT));
        return factory.createParser(text);
    }

    /**
     * Returns the encoding the first bytes show: a byte order mark, or where the zero bytes of the
     * first character fall, since JSON text begins with an ASCII character.
     */
    static Charset encodingOf(byte[] head) {
        if (startsWith(head, 0x00, 0x00, 0xFE, 0xFF)) {
            return UTF_32BE;
        }
        if (startsWith(head, 0xFF, 0xFE, 0x00, 0x00)) {
            return UTF_32LE;
        }
        if (startsWith(head, 0xFE, 0xFF)) {
            return StandardCharsets.UTF_16BE;
        }
        if (startsWith(head, 0xFF, 0xFE)) {
            return StandardCharsets.UTF_16LE;
        }
        if (head.length >= HEAD && head[0] == 0 && head[1] == 0 && head[2] == 0 && head[3] != 0) {
            return UTF_32BE;
        }
        if (head.length >= HEAD && head[0] != 0 && head[1] == 0 && head[2] == 0 && head[3] == 0) {
            return UTF_32LE;
        }
        if (head.length >= 2 && head[0] == 0 && head[1] != 0) {
            return StandardCharsets.UTF_16BE;
        }
        if (head.length >= 2 && head[0] != 0 && head[1] == 0) {
            return StandardCharsets.UTF_16LE;
        }
        return StandardCharsets.UTF_8;
    }

    /** Returns the length of the UTF-16 or UTF-32 byte order mark the body begins with, or 0. */
    private static int byteOrderMarkLength(byte[] head) {
        if (startsWith(head, 0x00, 0x00, 0xFE, 0xFF) || startsWith(head, 0xFF, 0xFE, 0x00, 0x00)) {
            return 4;
        }
        return startsWith(head, 0xFE, 0xFF) || startsWith(head, 0xFF, 0xFE) ? 2 : 0;
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
