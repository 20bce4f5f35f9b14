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
import java.util.concurrent.atomic.AtomicReference;
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
        assertThat(nameIn(JsonText.parser(FACTORY, new ByteArrayInputStream(body), told -> {})))
                .isEqualTo("caf\u00e9 \uD83D\uDE00.txt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-8", "UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE"})
    void parser_ofAStream_tellsTheCheckTheEncodingBeforeReading(String encoding)
            throws IOException {
        AtomicReference<Charset> told = new AtomicReference<>();

        JsonText.parser(FACTORY, new ByteArrayInputStream(encoded(TEXT, encoding)), told::set)
                .close();

        assertThat(told.get()).isEqualTo(Charset.forName(encoding));
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

        assertThatThrownBy(() -> nameIn(JsonText.parser(FACTORY, body)))
                .isInstanceOf(CharacterCodingException.class);
        assertThatThrownBy(
                        () ->
                                nameIn(
                                        JsonText.parser(
                                                FACTORY,
                                                new ByteArrayInputStream(body),
                                                told -> {})))
                .isInstanceOf(CharacterCodingException.class);
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
