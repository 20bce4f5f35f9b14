package io.github.emailtracking.core;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * An absolute http or https URL that a click may redirect to, kept exactly as the sender wrote it.
 * Parsing refuses anything a browser could read differently from this class: control characters,
 * backslashes before the query (a browser reads them as slashes there), invisible direction marks,
 * lone surrogates, any other scheme, a host that browsers read as an IPv4 address written another
 * way ({@code 127.1}), and a host holding one of the {@link #DEVIATIONS} or another character that
 * browsers convert otherwise than Unicode 3.2, whose rules Java's {@link IDN} follows, did, or that
 * Unicode 3.2 did not have.
 *
 * <p>The {@link #location()} form is what goes into a {@code Location} header: the same URL with
 * spaces and non-ASCII characters percent-encoded as UTF-8 and an international host name in its
 * ASCII form. Everything else, including existing percent-escapes, brackets and the fragment, is
 * kept byte for byte.
 */
final class WebLink {

    /** Longest URL accepted, in characters. */
    static final int MAX_LENGTH = 4096;

    /** What a link must be, for messages that refuse one. */
    static final String REQUIREMENT =
            "an absolute http or https URL of at most "
                    + MAX_LENGTH
                    + " characters that browsers read as this server does: without a backslash"
                    + " before the query, control characters or direction marks, without a host"
                    + " that ends in a number unless it is an IPv4 address in four decimal parts"
                    + " (browsers read 127.1 and 0x7f.1 as addresses), without port 0 or an xn--"
                    + " label that is no valid punycode, which browsers refuse, and without ß, ς,"
                    + " a zero-width joiner, a character newer than Unicode 3.2 or one converted"
                    + " otherwise since in the host, whose xn-- form browsers and this server write"
                    + " differently (write such a host in the xn-- form you mean)";

    /**
     * The characters that browsers keep in an international host name and Java's {@link IDN}
     * changes ({@code ß} into {@code ss}, {@code ς} into {@code σ}, the zero-width joiners into
     * nothing): a host holding one would send a click to another domain.
     */
    static final String DEVIATIONS = "\u00DF\u03C2\u200C\u200D";

    /**
     * Characters of Unicode 3.2 whose conversion changed since, beside the {@link #DEVIATIONS} and
     * the Georgian capitals from U+10A0 to U+10C5: the palochka, turned F and reversed one hundred,
     * now lower-cased; the Hangul and Khmer fillers, now dropped; the Mongolian todo soft hyphen,
     * now kept; and five CJK compatibility ideographs whose decomposition was corrected.
     */
    private static final Set<Integer> CHANGED_SINCE_UNICODE_3_2 =
            Set.of(
                    0x04C0, 0x2132, 0x2183, 0x115F, 0x1160, 0x3164, 0xFFA0, 0x17B4, 0x17B5, 0x1806,
                    0x2F868, 0x2F874, 0x2F91F, 0x2F95F, 0x2F9BF);

    /** The full stops that both Java and browsers take for the dot between labels. */
    private static final String LABEL_SEPARATORS = "\u3002\uFF0E\uFF61";

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * Printable characters that a URI may not hold (RFC 3986), which a {@code Location} header
     * carries percent-encoded; a backslash only passes parsing in the query or the fragment.
     */
    private static final String NOT_IN_URIS = "\"<>`{}|^\\";

    private final String original;
    private final String host;
    private final String location;

    private WebLink(String original, String host, String location) {
        this.original = original;
        this.host = host;
        this.location = location;
    }

    /** Returns the link, or empty when {@code text} is not a URL this product may redirect to. */
    static Optional<WebLink> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH || !allCharsSafe(text)) {
            return Optional.empty();
        }
        int schemeEnd = schemeLength(text);
        if (schemeEnd < 0) {
            return Optional.empty();
        }
        int authorityEnd = indexOfAny(text, "/?#", schemeEnd);
        String authority = text.substring(schemeEnd, authorityEnd);
        Optional<String> asciiHost = asciiHost(authority);
        if (asciiHost.isEmpty()) {
            return Optional.empty();
        }

        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        String location =
                text.substring(0, schemeEnd)
                        + encodeUnsafe(
                                authority.substring(0, authority.length() - hostPort.length()))
                        + asciiHostPort(hostPort, asciiHost.get())
                        + encodeUnsafe(text.substring(authorityEnd));
        return Optional.of(new WebLink(text, asciiHost.get(), location));
    }

    /** Returns the URL exactly as the sender wrote it. */
    String original() {
        return original;
    }

    /**
     * Returns the host in lower case and ASCII form; an IPv6 address without its brackets, written
     * the one standard way (RFC 5952), so that {@code [2001:db8:0:0:0:0:0:1]} and {@code
     * [2001:db8::1]} are the same host.
     */
    String host() {
        return host;
    }

    /** Returns the URL as it goes into a {@code Location} header. */
    String location() {
        return location;
    }

    private static boolean allCharsSafe(String text) {
        boolean pastThePath = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            pastThePath |= c == '?' || c == '#';
            if ((c == '\\' && !pastThePath) || Values.isControlOrMark(c)) {
                return false;
            }
            if (Character.isSurrogate(c)) {
                boolean pair =
                        Character.isHighSurrogate(c)
                                && i + 1 < text.length()
                                && Character.isLowSurrogate(text.charAt(i + 1));
                if (!pair) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    /** Returns the length of {@code http://} or {@code https://} at the start, or -1. */
    private static int schemeLength(String text) {
        String lower = text.substring(0, Math.min(text.length(), 8)).toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://")) {
            return 7;
        }
        return lower.startsWith("https://") ? 8 : -1;
    }

    private static int indexOfAny(String text, String chars, int from) {
        for (int i = from; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return text.length();
    }

    /** Returns the host of an authority in ASCII lower case, or empty when it is not valid. */
    private static Optional<String> asciiHost(String authority) {
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        if (hostPort.startsWith("[")) {
            return ipv6Host(hostPort);
        }
        int colon = hostPort.lastIndexOf(':');
        String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        if (colon >= 0 && !isPort(hostPort.substring(colon + 1))) {
            return Optional.empty();
        }
        return toAsciiHostName(host);
    }

    private static Optional<String> ipv6Host(String hostPort) {
        int close = hostPort.indexOf(']');
        if (close < 2) {
            return Optional.empty();
        }
        String address = hostPort.substring(1, close);
        String rest = hostPort.substring(close + 1);
        boolean portOk = rest.isEmpty() || (rest.startsWith(":") && isPort(rest.substring(1)));
        if (!portOk || !address.chars().allMatch(c -> isHexDigit(c) || c == ':' || c == '.')) {
            return Optional.empty();
        }
        IpAddress ip = address.indexOf(':') < 0 ? null : IpAddress.parse(address);
        if (ip == null) {
            return Optional.empty();
        }
        return Optional.of(ip.isIpv4() ? "::ffff:" + ip.text() : ip.text());
    }

    private static Optional<String> toAsciiHostName(String host) {
        if (host.isEmpty() || host.codePoints().anyMatch(WebLink::convertsOtherwise)) {
            return Optional.empty();
        }
        String ascii;
        try {
            // Java converts by the rules of Unicode 3.2; a letter added since, which browsers
            // convert by today's, is refused rather than sent to another domain.
            ascii = IDN.toASCII(host).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // A host of a dot alone is the root, which no browser reaches.
        boolean valid =
                !ascii.isEmpty()
                        && !ascii.equals(".")
                        && ascii.chars()
                                .allMatch(
                                        c ->
                                                (c >= 'a' && c <= 'z')
                                                        || (c >= '0' && c <= '9')
                                                        || c == '-'
                                                        || c == '.'
                                                        || c == '_');
        return valid && !isReadAsAnotherAddress(ascii) && hasOnlyValidPunycode(ascii)
                ? Optional.of(ascii)
                : Optional.empty();
    }

    /**
     * Returns whether every {@code xn--} label of a host is punycode that decodes and encodes back
     * to itself, as browsers require of a host they reach.
     */
    static boolean hasOnlyValidPunycode(String host) {
        for (String label : host.split("\\.", -1)) {
            if (label.regionMatches(true, 0, "xn--", 0, 4) && !isValidPunycode(label)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isValidPunycode(String label) {
        String unicode = IDN.toUnicode(label, IDN.ALLOW_UNASSIGNED);
        if (unicode.equals(label)) {
            return false;
        }
        try {
            return IDN.toASCII(unicode, IDN.ALLOW_UNASSIGNED).equalsIgnoreCase(label);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Returns whether browsers read the host as an IPv4 address written otherwise than in four
     * decimal parts: a host whose last label is a number ({@code 127.1}, {@code 0x7f.1}, {@code
     * 2130706433}) is an address to them, and one they cannot read as such ({@code example.123}) is
     * no host at all, while this class would take either for a name.
     */
    static boolean isReadAsAnotherAddress(String host) {
        String trimmed = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String last = trimmed.substring(trimmed.lastIndexOf('.') + 1);
        boolean number =
                !last.isEmpty() && last.chars().allMatch(c -> c >= '0' && c <= '9')
                        || last.startsWith("0x")
                                && last.chars().skip(2).allMatch(WebLink::isHexDigit);
        return number && IpAddress.parseIpv4(trimmed, 0, trimmed.length()) < 0;
    }

    /**
     * Returns whether browsers convert the character otherwise than Java's {@link IDN}, which also
     * turns into dots, so into more labels, the characters whose compatibility form holds one
     * ({@code ⒈}, {@code ․}), where browsers refuse the host.
     */
    private static boolean convertsOtherwise(int codePoint) {
        return codePoint >= 0x80
                && (DEVIATIONS.indexOf(codePoint) >= 0
                        || (codePoint >= 0x10A0 && codePoint <= 0x10C5)
                        || CHANGED_SINCE_UNICODE_3_2.contains(codePoint)
                        || holdsADot(codePoint));
    }

    private static boolean holdsADot(int codePoint) {
        if (LABEL_SEPARATORS.indexOf(codePoint) >= 0) {
            return false;
        }
        String compatible =
                Normalizer.normalize(Character.toString(codePoint), Normalizer.Form.NFKC);
        return compatible.indexOf('.') >= 0;
    }

    private static String asciiHostPort(String hostPort, String asciiHost) {
        if (hostPort.chars().allMatch(c -> c < 0x80)) {
            return hostPort;
        }
        int colon = hostPort.lastIndexOf(':');
        return colon < 0 ? asciiHost : asciiHost + hostPort.substring(colon);
    }

    /** Returns whether {@code digits} is a port from 1 to 65535 written in ASCII digits alone. */
    static boolean isPort(String digits) {
        if (digits.isEmpty()
                || digits.length() > 5
                || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int port = Integer.parseInt(digits);
        return port > 0 && port <= 65_535;
    }

    private static boolean isHexDigit(int c) {
        return Character.digit(c, 16) >= 0 && c < 0x80;
    }

    private static String encodeUnsafe(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int width = Character.charCount(codePoint);
            if (codePoint > 0x20 && codePoint < 0x7F && NOT_IN_URIS.indexOf(codePoint) < 0) {
                out.append((char) codePoint);
            } else {
                byte[] utf8 = text.substring(i, i + width).getBytes(StandardCharsets.UTF_8);
                for (byte b : utf8) {
                    out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
                }
            }
            i += width;
        }
        return out.toString();
    }
}
