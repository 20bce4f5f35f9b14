package io.github.emailtracking.servlet;

import io.github.emailtracking.api.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
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

    /** The characters multipart and form bodies are split at, and some letters and digits. */
    private static final String ASCII_SAMPLE = "-\r\n:;=&\" Az09";

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
                    "request body must be JSON in UTF-8, UTF-16 or UTF-32; the declared charset is"
                            + " not supported");
        }
    }

    /**
     * Refuses a multipart or form body that is compressed, or declared in a character set that does
     * not keep ASCII as it is: such bodies are split at ASCII boundaries and separators.
     *
     * @throws UnsupportedMediaTypeException if it is either
     */
    static void requireReadable(HttpServletRequest request) {
        requireUncompressed(request);
        String charset = declaredCharset(request);
        if (charset != null && !keepsAscii(charset)) {
            throw new UnsupportedMediaTypeException(
                    "the request body's declared charset is not supported; use UTF-8");
        }
    }

    /** Returns the raw {@code Content-Type} header, or null when there is none. */
    static String contentType(HttpServletRequest request) {
        return request.getHeader("Content-Type");
    }

    /**
     * Returns whether the body declares a media type that starts with {@code prefix}, given in
     * lower case, such as {@code multipart/}; in any letter case, spaces around it allowed.
     */
    static boolean declaresType(HttpServletRequest request, String prefix) {
        String type = contentType(request);
        return type != null && type.strip().toLowerCase(Locale.ROOT).startsWith(prefix);
    }

    /**
     * Refuses a body with any coding but identity, in any of its Content-Encoding headers, or any
     * transfer coding but chunked: the container takes the chunks apart but leaves a compressed
     * body compressed.
     */
    private static void requireUncompressed(HttpServletRequest request) {
        if (!hasOnly(request, "Transfer-Encoding", "chunked")) {
            throw new UnsupportedMediaTypeException(
                    "request body must not be compressed; a Transfer-Encoding other than chunked is"
                            + " not supported");
        }
        if (!hasOnly(request, "Content-Encoding", "identity")) {
            throw new UnsupportedMediaTypeException(
                    "request body must not be compressed; Content-Encoding is not supported");
        }
    }

    /**
     * Returns whether every coding that any of the request's {@code header} lists is {@code
     * coding}.
     */
    private static boolean hasOnly(HttpServletRequest request, String header, String coding) {
        for (String value : Collections.list(request.getHeaders(header))) {
            for (String listed : value.split(",")) {
                if (!listed.isBlank() && !listed.strip().equalsIgnoreCase(coding)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Returns the declared character set, or null.
     *
     * @throws InvalidRequestException if the request has more than one {@code Content-Type}, or its
     *     type names its character set or its boundary more than once, which readers resolve each
     *     their own way
     */
    private static String declaredCharset(HttpServletRequest request) {
        if (Collections.list(request.getHeaders("Content-Type")).size() > 1) {
            throw new InvalidRequestException("Content-Type must be given once, not several times");
        }
        String type = contentType(request);
        for (String name : List.of("charset", "boundary")) {
            if (HeaderParameters.count(type, name) > 1) {
                throw new InvalidRequestException(
                        "Content-Type must name its " + name + " once, not several times");
            }
        }
        return HeaderParameters.parameter(type, "charset");
    }

    /** Returns whether the character set is known here and writes ASCII as ASCII. */
    private static boolean keepsAscii(String charset) {
        Charset known;
        try {
            known = Charset.forName(charset);
        } catch (IllegalArgumentException e) {
            // Illegal and unsupported names alike.
            return false;
        }
        return known.canEncode()
                && Arrays.equals(
                        ASCII_SAMPLE.getBytes(known),
                        ASCII_SAMPLE.getBytes(StandardCharsets.US_ASCII));
    }
}
