package io.github.emailtracking.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTextTest {

    private static final String TEXT = "{\"name\":\"caf\u00e9 \uD83D\uDE00.txt\"}";
    private static final JsonFactory FACTORY = new JsonFactory();

    @ParameterizedTest
    @CsvSource({
        "UTF-8, false",
        "UTF-8, true",
        "UTF-16BE, false",
        "UTF-16BE, true",
        "UTF-16LE, false",
        "UTF-16LE, true",
        "UTF-32BE, false",
        "UTF-32BE, true",
        "UTF-32LE, false",
        "UTF-32LE, true"
    })
    void parser_readsEveryUnicodeEncoding_withOrWithoutAByteOrderMark(
            String encoding, boolean withMark) throws IOException {
        byte[] body = encoded((withMark ? "\uFEFF" : "") + TEXT, encoding);

        assertThat(nameIn(JsonText.parser(FACTORY, body))).isEqualTo("caf\u00e9 \uD83D\uDE00.txt");
        assertThat(
                        nameIn(
                                JsonText.parser(
                                        FACTORY,
                                        new ByteArrayInputStream(body),
                                        (told, mark) -> {})))
                .isEqualTo("caf\u00e9 \uD83D\uDE00.txt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-8", "UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE"})
    void parser_ofAStream_tellsTheCheckTheEncodingBeforeReading(String encoding)
            throws IOException {
        AtomicReference<Charset> told = new AtomicReference<>();
        AtomicInteger toldMark = new AtomicInteger(-1);
        byte[] body = encoded("\uFEFF" + TEXT, encoding);

        JsonText.parser(
                        FACTORY,
                        new ByteArrayInputStream(body),
                        (encodingShown, mark) -> {
                            told.set(encodingShown);
                            toldMark.set(mark);
                        })
                .close();

        assertThat(told.get()).isEqualTo(Charset.forName(encoding));
        assertThat(toldMark.get()).isEqualTo(encoded("\uFEFF", encoding).length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-32BE", "UTF-32LE"})
    void parser_surrogateHalvesWrittenAsUtf32Units_fail(String encoding) {
        boolean bigEndian = encoding.endsWith("BE");
        byte[] body =
                concat(
                        encoded("{\"name\":\"A", encoding),
                        unit(0xD83D, bigEndian),
                        unit(0xDE00, bigEndian),
                        encoded("\"}", encoding));

        assertBothParsersRefuse(body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-32BE", "UTF-32LE"})
    void parser_utf32CutShortInItsLastUnit_fails(String encoding) {
        byte[] whole = encoded(TEXT, encoding);
        byte[] body = Arrays.copyOf(whole, whole.length - 1);

        assertThatThrownBy(() -> readToTheEnd(JsonText.parser(FACTORY, body)))
                .isInstanceOf(CharacterCodingException.class);
    }

    @Test
    void parser_longUtf32Text_readsEveryCharacterAcrossItsBuffers() throws IOException {
        String name = "a\uD83D\uDE00\u00e9".repeat(5000);
        byte[] body = encoded("{\"name\":\"" + name + "\"}", "UTF-32LE");

        assertThat(nameIn(JsonText.parser(FACTORY, new ByteArrayInputStream(body), (e, m) -> {})))
                .isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-16BE", "UTF-16LE"})
    void parser_loneSurrogateInUtf16_failsInsteadOfEatingTheNextCharacter(String encoding) {
        byte[] body =
                concat(
                        encoded("{\"name\":\"s", encoding),
                        encoding.endsWith("BE")
                                ? new byte[] {(byte) 0xD8, 0}
                                : new byte[] {0, (byte) 0xD8},
                        encoded(".txt\"}", encoding));

        assertBothParsersRefuse(body);
    }

    @ParameterizedTest
    @CsvSource({"UTF-32BE, 0, 17, 0, 0", "UTF-32LE, 0, 0, 17, 0", "UTF-32BE, 127, -1, -1, -1"})
    void parser_noCharacterInUtf32_fails(String encoding, byte b0, byte b1, byte b2, byte b3) {
        byte[] body =
                concat(
                        encoded("{\"name\":\"A", encoding),
                        new byte[] {b0, b1, b2, b3},
                        encoded("B\"}", encoding));

        assertThatThrownBy(() -> nameIn(JsonText.parser(FACTORY, body)))
                .isInstanceOf(CharacterCodingException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "7b 22, UTF-8",
        "00 7b, UTF-16BE",
        "7b 00 22 00, UTF-16LE",
        "00 00 00 7b, UTF-32BE",
        "7b 00 00 00, UTF-32LE",
        "ef bb bf 7b, UTF-8",
        "fe ff 00 7b, UTF-16BE",
        "ff fe 7b 00, UTF-16LE",
        "00 00 fe ff, UTF-32BE",
        "ff fe 00 00, UTF-32LE",
        "7b, UTF-8",
        "'', UTF-8"
    })
    void encodingOf_tellsTheEncodingByTheFirstBytes(String hex, String encoding) {
        assertThat(JsonText.encodingOf(bytes(hex))).isEqualTo(Charset.forName(encoding));
    }

    @ParameterizedTest
    @CsvSource({"UTF-8, 1", "UTF-16BE, 2", "UTF-16LE, 2", "UTF-32BE, 4", "UTF-32LE, 4"})
    void bytesPerAsciiCharacter_isWhatTheEncodingTakesForJsonSyntax(String encoding, int bytes) {
        assertThat(JsonText.bytesPerAsciiCharacter(Charset.forName(encoding))).isEqualTo(bytes);
    }

    /** Asserts that the parser of a body held in full and that of a stream both refuse it. */
    private static void assertBothParsersRefuse(byte[] body) {
        assertThatThrownBy(() -> nameIn(JsonText.parser(FACTORY, body)))
                .isInstanceOf(CharacterCodingException.class);
        assertThatThrownBy(
                        () ->
                                nameIn(
                                        JsonText.parser(
                                                FACTORY,
                                                new ByteArrayInputStream(body),
                                                (told, mark) -> {})))
                .isInstanceOf(CharacterCodingException.class);
    }

    private static void readToTheEnd(JsonParser parser) throws IOException {
        try (parser) {
            while (parser.nextToken() != null) {
                parser.getText();
            }
        }
    }

    private static byte[] unit(int value, boolean bigEndian) {
        byte[] bytes = {
            (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
        };
        return bigEndian ? bytes : new byte[] {bytes[3], bytes[2], bytes[1], bytes[0]};
    }

    private static String nameIn(JsonParser parser) throws IOException {
        try (parser) {
            parser.nextToken();
            parser.nextToken();
            parser.nextToken();
            return parser.getText();
        }
    }

    private static byte[] encoded(String text, String encoding) {
        return text.getBytes(Charset.forName(encoding));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(String hex) {
        String[] pairs = hex.isBlank() ? new String[0] : hex.strip().split(" ");
        byte[] bytes = new byte[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            bytes[i] = (byte) Integer.parseInt(pairs[i], 16);
        }
        return bytes;
    }
}
