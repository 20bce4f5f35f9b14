package io.github.emailtracking.servlet;

import java.nio.charset.StandardCharsets;

/**
 * Writes a {@code Content-Disposition: attachment} value (RFC 6266) for a file name that came from
 * a stranger: a plain {@code filename} with a safe ASCII fallback, and {@code filename*} with the
 * exact name in UTF-8 (RFC 8187).
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
