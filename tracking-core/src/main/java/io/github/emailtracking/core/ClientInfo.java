package io.github.emailtracking.core;

import java.util.HashMap;
import java.util.Map;

/**
 * What the tracker is told about the client behind an open or a click: what it keeps with the event
 * (address and user agent) and what the {@link EventClassifier} reads besides (the method and a few
 * headers).
 *
 * @param ipAddress the client's address as the host determined it, or null when unknown
 * @param userAgent the client's {@code User-Agent} header, or null when it sent none; cut to
 *     {@value #MAX_USER_AGENT_LENGTH} characters when longer, never within a surrogate pair, and
 *     with half of a pair, controls, line separators and direction marks replaced by U+FFFD
 * @param method the HTTP method, such as {@code GET}; null is taken for GET; cut to {@value
 *     #MAX_METHOD_LENGTH} characters
 * @param headers the request headers the classifier reads, by the names in {@link
 *     EventContext#HEADERS}; other names and null values are dropped, names of any case are written
 *     as in that list, and values are cut to {@value #MAX_HEADER_LENGTH} characters
 */
public record ClientInfo(
        String ipAddress, String userAgent, String method, Map<String, String> headers) {

    /** Longest {@code User-Agent} kept, in characters; real ones stay well below. */
    public static final int MAX_USER_AGENT_LENGTH = 512;

    /** Longest value kept of each header in {@link #headers}, in characters. */
    public static final int MAX_HEADER_LENGTH = 256;

    /** Longest method kept, in characters. */
    public static final int MAX_METHOD_LENGTH = 16;

    /**
     * The client of a call that did not come over a network, such as a test or a script. It sends
     * no user agent, so the classifier judges its events a machine's ({@code bot-agent}).
     */
    public static final ClientInfo UNKNOWN = new ClientInfo(null, null);

    /** Creates the description, cutting over-long values and keeping only the headers it reads. */
    public ClientInfo {
        userAgent = cut(userAgent, MAX_USER_AGENT_LENGTH);
        method = cut(method, MAX_METHOD_LENGTH);
        headers = headers == null || headers.isEmpty() ? Map.of() : readHeaders(headers);
    }

    /** Describes a {@code GET} request of which only the address and user agent are known. */
    public ClientInfo(String ipAddress, String userAgent) {
        this(ipAddress, userAgent, null, Map.of());
    }

    /**
     * Returns the value of one of the {@link EventContext#HEADERS}, or null when it was not sent.
     */
    public String header(String name) {
        String known = canonicalName(name);
        return known == null ? null : headers.get(known);
    }

    private static Map<String, String> readHeaders(Map<String, String> given) {
        Map<String, String> kept = new HashMap<>();
        for (Map.Entry<String, String> header : given.entrySet()) {
            String name = header.getKey() == null ? null : canonicalName(header.getKey());
            if (name != null && header.getValue() != null) {
                kept.put(name, cut(header.getValue(), MAX_HEADER_LENGTH));
            }
        }
        return Map.copyOf(kept);
    }

    /** Returns the name as {@link EventContext#HEADERS} writes it, or null when it is not there. */
    private static String canonicalName(String name) {
        for (String known : EventContext.HEADERS) {
            if (known.equalsIgnoreCase(name)) {
                return known;
            }
        }
        return null;
    }

    /**
     * Cuts the value to {@code maxLength} characters, never within a surrogate pair, and replaces
     * by U+FFFD half of a pair, which no store keeps as it is, and controls, line separators and
     * direction marks, which would garble a page or a log that shows the value.
     */
    private static String cut(String value, int maxLength) {
        if (value == null) {
            return null;
        }
        String kept = value;
        if (kept.length() > maxLength) {
            int end =
                    Character.isHighSurrogate(kept.charAt(maxLength - 1))
                            ? maxLength - 1
                            : maxLength;
            kept = kept.substring(0, end);
        }
        if (isPrintableAscii(kept) || kept.codePoints().noneMatch(ClientInfo::isUnfit)) {
            return kept;
        }
        StringBuilder clean = new StringBuilder(kept.length());
        kept.codePoints().map(c -> isUnfit(c) ? '\uFFFD' : c).forEach(clean::appendCodePoint);
        return clean.toString();
    }

    /** Returns whether every character is printable ASCII, as in nearly every user agent. */
    private static boolean isPrintableAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    private static boolean isUnfit(int codePoint) {
        return Character.getType(codePoint) == Character.SURROGATE
                || Values.isControlOrMark(codePoint);
    }
}
