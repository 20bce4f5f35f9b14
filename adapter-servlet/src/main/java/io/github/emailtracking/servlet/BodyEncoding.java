package io.github.emailtracking.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.util.Locale;
import java.util.Set;

/**
 * Checks on how a request body is encoded, made before the container or a reader is asked to read
 * it. They read the raw {@code Content-Type} header: the container fails on a character set it does
 * not know as soon as it is asked for the type.
 */
final class BodyEncoding {

    /** The character sets JSON is read in: UTF-8, or those the reader tells from the bytes. */
    private static final Set<String> JSON_CHARSETS =
            Set.of(
                    "UTF-8",
                    "UTF8",
                    "UTF-16",
                    "UTF-16BE",
                    "UTF-16LE",
                    "UTF-32",
                    "UTF-32BE",
                    "UTF-32LE");

    private BodyEncoding() {}

    /**
     * Refuses a JSON body that is compressed or declared in a character set other than UTF-8, or
     * UTF-16 or UTF-32, which the reader tells from the bytes themselves. A body without a declared
     * character set is read as JSON whatever its declared type, so that a client that sends {@code
     * application/x-www-form-urlencoded} by default is understood.
     *
     * @throws UnsupportedMediaTypeException if it is either
     */
    static void requireJson(HttpServletRequest request) {
        requireUncompressed(request);
        String charset = declaredCharset(request);
        if (charset != null && !JSON_CHARSETS.contains(charset.toUpperCase(Locale.ROOT))) {
            throw new UnsupportedMediaTypeException(
                    "request body must be JSON in UTF-8; the declared charset is not supported");
        }
    }

    /**
     * Refuses a body that is compressed or declared in a character set unknown here.
     *
     * @throws UnsupportedMediaTypeException if it is either
     */
    static void requireReadable(HttpServletRequest request) {
        requireUncompressed(request);
        String charset = declaredCharset(request);
        if (charset != null && !isKnown(charset)) {
            throw new UnsupportedMediaTypeException(
                    "the request body's declared charset is not supported");
        }
    }

    /** Returns the raw {@code Content-Type} header, or null when there is none. */
    static String contentType(HttpServletRequest request) {
        return request.getHeader("Content-Type");
    }

    private static void requireUncompressed(HttpServletRequest request) {
        String encoding = request.getHeader("Content-Encoding");
        if (encoding != null
                && !encoding.isBlank()
                && !encoding.strip().equalsIgnoreCase("identity")) {
            throw new UnsupportedMediaTypeException(
                    "request body must not be compressed; Content-Encoding is not supported");
        }
    }

    private static String declaredCharset(HttpServletRequest request) {
        return HeaderParameters.parameter(contentType(request), "charset");
    }

    private static boolean isKnown(String charset) {
        try {
            return Charset.isSupported(charset);
        } catch (IllegalCharsetNameException e) {
            return false;
        }
    }
}
