package io.github.emailtracking.servlet;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a {@code Content-Disposition: attachment} value (RFC 6266) for a file name that came from
 * a stranger: a plain {@code filename} with a safe ASCII fallback, and {@code filename*} with the
 * exact name in UTF-8 (RFC 8187). Also reads the file name of a multipart part's value as written.
 */
final class ContentDisposition {

    private static final String ATTR_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ContentDisposition() {}

    static String attachment(String fileName) {
        return "attachment; filename=\""
                + asciiFallback(fileName)
                + "\"; filename*=UTF-8''"
                + percentEncode(fileName);
    }

    /** Keeps printable ASCII but quotes, backslashes and percent signs; the rest becomes '_'. */
    static String asciiFallback(String fileName) {
        StringBuilder out = new StringBuilder(fileName.length());
        fileName.codePoints()
                .forEach(
                        c -> {
                            boolean keep =
                                    c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '%';
                            out.append(keep ? (char) c : '_');
                        });
        return out.toString();
    }

    /**
     * Returns the {@code filename} parameter of a multipart part's {@code Content-Disposition} as
     * written, without its quotes and the spaces around it, the last one where there are several;
     * or null when the value is neither {@code form-data} nor {@code attachment}, has no such
     * parameter, or names the file with {@code filename*}, which the multipart reader decodes. The
     * parameters are split as the reader splits them, but unlike the reader this decodes no RFC
     * 2047 encoded words: they may not stand in a quoted string, no browser sends them, and the
     * reader drops what follows one, so {@code =?UTF-8?B?w7w=?=.pdf} is taken as the file's name.
     */
    static String fileNameAsWritten(String value) {
        String lowerCase = value.toLowerCase(Locale.ROOT);
        if (!lowerCase.startsWith("form-data") && !lowerCase.startsWith("attachment")) {
            return null;
        }
        String fileName = null;
        for (String parameter : parameters(value)) {
            int equals = parameter.indexOf('=');
            String name = (equals < 0 ? parameter : parameter.substring(0, equals)).strip();
            if (name.equalsIgnoreCase("filename*")) {
                return null;
            }
            if (name.equalsIgnoreCase("filename")) {
                fileName = equals < 0 ? "" : unquoted(parameter.substring(equals + 1).strip());
            }
        }
        return fileName;
    }

    /** Splits at each {@code ;} outside a quoted string, where a backslash escapes a quote. */
    private static List<String> parameters(String value) {
        List<String> parameters = new ArrayList<>();
        boolean quoted = false;
        boolean escaped = false;
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ';' && !quoted) {
                parameters.add(value.substring(start, i));
                start = i + 1;
            }
            if (c == '"' && !escaped) {
                quoted = !quoted;
            }
            escaped = !escaped && c == '\\';
        }
        parameters.add(value.substring(start));
        return parameters;
    }

    private static String unquoted(String text) {
        boolean quoted = text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"");
        return (quoted ? text.substring(1, text.length() - 1) : text).strip();
    }

    private static String percentEncode(String fileName) {
        StringBuilder out = new StringBuilder();
        for (byte b : fileName.getBytes(StandardCharsets.UTF_8)) {
            if (b >= 0 && ATTR_CHARS.indexOf(b) >= 0) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return out.toString();
    }
}
