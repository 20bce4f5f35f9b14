package io.github.emailtracking.servlet;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the parameters of header values such as {@code Content-Disposition} and {@code
 * Content-Type}, as mail flows and HTTP clients write them.
 */
final class HeaderParameters {

    private HeaderParameters() {}

    /**
     * Returns the file name: that of the RFC 8187 {@code filename*} when it has one in UTF-8 or
     * ISO-8859-1 that decodes, else the plain {@code filename}; null when there is neither.
     */
    static String fileName(String disposition) {
        String extended = parameter(disposition, "filename*");
        String decoded = extended == null ? null : decodeExtended(extended);
        return decoded != null ? decoded : parameter(disposition, "filename");
    }

    /**
     * Returns the value of parameter {@code name} (quoted or not), as written, or null when absent;
     * {@link #fileName} also decodes an RFC 8187 {@code filename*}.
     */
    static String parameter(String header, String name) {
        List<String> values = values(header, name);
        return values.isEmpty() ? null : unquote(values.get(0));
    }

    /** Returns how many times the header names parameter {@code name}. */
    static int count(String header, String name) {
        return values(header, name).size();
    }

    /** Returns the values of every parameter {@code name}, in order, as written. */
    private static List<String> values(String header, String name) {
        List<String> values = new ArrayList<>();
        int i = 0;
        while (header != null && i < header.length()) {
            int semicolon = nextSeparator(header, i);
            String piece = header.substring(i, semicolon);
            int equals = piece.indexOf('=');
            if (equals > 0 && piece.substring(0, equals).strip().equalsIgnoreCase(name)) {
                values.add(piece.substring(equals + 1).strip());
            }
            i = semicolon + 1;
        }
        return values;
    }

    /** Returns the index of the next ';' outside quotes, or the length. */
    private static int nextSeparator(String text, int from) {
        boolean quoted = false;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ';' && !quoted) {
                return i;
            }
        }
        return text.length();
    }

    /** Decodes {@code charset'language'percent-encoded-bytes}; null when it cannot be read. */
    private static String decodeExtended(String value) {
        int first = value.indexOf('\'');
        int second = first < 0 ? -1 : value.indexOf('\'', first + 1);
        if (second < 0) {
            return null;
        }
        String charsetName = value.substring(0, first);
        Charset charset =
                charsetName.equalsIgnoreCase("UTF-8")
                        ? StandardCharsets.UTF_8
                        : charsetName.equalsIgnoreCase("ISO-8859-1")
                                ? StandardCharsets.ISO_8859_1
                                : null;
        byte[] bytes = percentDecoded(value.substring(second + 1));
        if (charset == null || bytes == null) {
            return null;
        }
        try {
            return charset.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static byte[] percentDecoded(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length()) {
                int high = Character.digit(text.charAt(i + 1), 16);
                int low = Character.digit(text.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c > 0x20 && c < 0x7F && c != '%') {
                bytes.write(c);
            } else {
                return null;
            }
        }
        return bytes.toByteArray();
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replace("\\\"", "\"");
        }
        return value;
    }
}
