package io.github.emailtracking.core;

import io.github.emailtracking.api.TrackingId;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Writes the open and click URLs that go into an email. */
final class TrackingLinks {

    /** The paths, under the base URL, of the links the tracker makes for one email. */
    private static final List<String> EMAIL_ROUTES = List.of("/open/", "/click/", "/unsubscribe/");

    private final String baseUrl;

    TrackingLinks(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    String openUrl(TrackingId id) {
        return baseUrl + "/open/" + id.value();
    }

    String unsubscribeUrl(TrackingId id) {
        return baseUrl + "/unsubscribe/" + id.value();
    }

    /** Returns the host of the base URL, for the Message-IDs of tracked emails. */
    String host() {
        return WebLink.parse(baseUrl).orElseThrow().host();
    }

    String baseUrl() {
        return baseUrl;
    }

    String clickUrl(TrackingId id, String url, String signature) {
        return baseUrl
                + "/click/"
                + id.value()
                + "?redirect="
                + URLEncoder.encode(url, StandardCharsets.UTF_8)
                + "&sig="
                + signature;
    }

    /**
     * Returns whether a link is one the tracker makes for one email: its pixel, a click link or its
     * unsubscribe link, under the given base URL.
     */
    static boolean isMadeForAnEmail(String baseUrl, String link) {
        if (!isUnder(baseUrl, link)) {
            return false;
        }
        String path = link.substring(baseUrl.length());
        return EMAIL_ROUTES.stream().anyMatch(path::startsWith);
    }

    /** Returns whether a link is the base URL or lies below it, its scheme and host in any case. */
    static boolean isUnder(String baseUrl, String link) {
        int length = baseUrl.length();
        boolean prefix = link.regionMatches(true, 0, baseUrl, 0, length);
        return prefix && (link.length() == length || "/?#".indexOf(link.charAt(length)) >= 0);
    }

    /** Returns the base URL without a trailing slash, or fails naming what is wrong with it. */
    static String checkBaseUrl(String baseUrl) {
        if (baseUrl != null && authorityOf(baseUrl).contains("@")) {
            // Every mail would carry it; and the message does not repeat it.
            throw new IllegalArgumentException(
                    "publicBaseUrl must not carry a user name or password");
        }
        if (baseUrl != null && hasBadPort(authorityOf(baseUrl))) {
            throw new IllegalArgumentException(
                    "publicBaseUrl must have a port from 1 to 65535, written in digits alone, if"
                            + " it has one: "
                            + Values.excerpt(baseUrl));
        }
        String host = baseUrl == null ? "" : hostOf(authorityOf(baseUrl));
        if (WebLink.isReadAsAnotherAddress(host) || !WebLink.hasOnlyValidPunycode(host)) {
            // A link on such a host is no link: say why here rather than only that it is none.
            throw unreachableHost(baseUrl);
        }
        boolean valid =
                baseUrl != null
                        && WebLink.parse(baseUrl).isPresent()
                        && baseUrl.chars().noneMatch(Character::isWhitespace)
                        && !baseUrl.contains("?")
                        && !baseUrl.contains("#");
        if (!valid) {
            throw new IllegalArgumentException(
                    "publicBaseUrl must be an absolute http or https URL without spaces, query or"
                            + " fragment, not "
                            + Values.excerpt(baseUrl));
        }
        if (!baseUrl.chars().allMatch(c -> c < 0x80)) {
            // It goes into List-Unsubscribe headers, which hold ASCII only.
            throw new IllegalArgumentException(
                    "publicBaseUrl must be written in ASCII: an international host in its xn-- form"
                            + " and other characters percent-encoded, not "
                            + Values.excerpt(baseUrl));
        }
        String trimmed =
                baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        requireReachable(trimmed);
        return trimmed;
    }

    /** Fails when servers would refuse or rewrite the URLs made from the base URL, for its path. */
    private static void requireReachable(String baseUrl) {
        int start = baseUrl.indexOf("://") + 3;
        int slash = baseUrl.indexOf('/', start);
        String path = slash < 0 ? "" : baseUrl.substring(slash);

        if (!isServablePath(path)) {
            throw new IllegalArgumentException(
                    "publicBaseUrl must have a path of letters, digits and -._~!$&'()*+,=:@/%"
                            + " only, without empty, '.' or '..' segments (escaped or not), whose"
                            + " escapes are of UTF-8 text other than slashes, backslashes, '%' or"
                            + " control characters, and whose every % begins an escape of two hex"
                            + " digits, not "
                            + Values.excerpt(baseUrl));
        }
    }

    private static IllegalArgumentException unreachableHost(String baseUrl) {
        return new IllegalArgumentException(
                "publicBaseUrl must have a host that browsers reach: its xn-- labels valid"
                        + " punycode, and a number last only in an IPv4 address, not "
                        + Values.excerpt(baseUrl));
    }

    /** Returns the host of an authority without brackets' contents, in lower case. */
    private static String hostOf(String authority) {
        if (authority.startsWith("[")) {
            return "";
        }
        int colon = authority.lastIndexOf(':');
        return (colon < 0 ? authority : authority.substring(0, colon)).toLowerCase(Locale.ROOT);
    }

    /**
     * Returns whether servers take a path as written: only characters RFC 3986 allows in it but for
     * {@code ;}, every {@code %} beginning an escape, and no segment that is empty, {@code .} or
     * {@code ..}, written or escaped, or whose escapes are of no UTF-8 text or of a slash,
     * backslash, {@code %} or control character.
     */
    private static boolean isServablePath(String path) {
        return hasOnlyWholeEscapes(path)
                && path.chars().allMatch(TrackingLinks::isPathCharacter)
                && Arrays.stream(path.split("/", -1)).skip(1).allMatch(TrackingLinks::isServable);
    }

    /**
     * Returns whether a character may stand in a base URL's path as it is: what RFC 3986 allows in
     * a path but for {@code ;}, which begins a path parameter that servers read apart.
     */
    private static boolean isPathCharacter(int c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,=:@/%".indexOf(c) >= 0;
    }

    private static boolean isServable(String segment) {
        Optional<String> decoded = decodeEscapes(segment);
        return decoded.isPresent()
                && !decoded.get().isEmpty()
                && !decoded.get().equals(".")
                && !decoded.get().equals("..")
                && decoded.get()
                        .chars()
                        .noneMatch(c -> c == '/' || c == '\\' || c == '%' || c < 0x20 || c == 0x7F);
    }

    /** Returns an ASCII segment with its escapes decoded as UTF-8, or empty when they are not. */
    private static Optional<String> decodeEscapes(String segment) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            if (segment.charAt(i) == '%') {
                bytes.write(Integer.parseInt(segment, i + 1, i + 3, 16));
                i += 2;
            } else {
                bytes.write(segment.charAt(i));
            }
        }
        try {
            return Optional.of(
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .decode(ByteBuffer.wrap(bytes.toByteArray()))
                            .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /**
     * Returns whether an authority names a port that is not a number from 1 to 65535 written in
     * digits alone, such as 0, 65536, {@code +1} or an empty one.
     */
    private static boolean hasBadPort(String authority) {
        int colon = authority.lastIndexOf(':');
        if (colon <= authority.lastIndexOf(']') || colon < authority.lastIndexOf('@')) {
            return false;
        }
        return !WebLink.isPort(authority.substring(colon + 1));
    }

    private static boolean hasOnlyWholeEscapes(String path) {
        for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
            if (i + 2 >= path.length()
                    || Character.digit(path.charAt(i + 1), 16) < 0
                    || Character.digit(path.charAt(i + 2), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Returns what follows the scheme up to the path: the host, its port, any user info. */
    private static String authorityOf(String url) {
        int start = url.indexOf("://");
        if (start < 0) {
            return "";
        }
        int end = url.indexOf('/', start + 3);
        return url.substring(start + 3, end < 0 ? url.length() : end);
    }

    /** Returns the hosts in lower case, or fails naming the first that is not a host name. */
    static Set<String> checkHosts(Collection<String> hosts) {
        for (String host : hosts) {
            Optional<WebLink> link =
                    host != null && isHostAlone(host)
                            ? WebLink.parse("https://" + host + "/")
                            : Optional.empty();
            // A final dot names the same host, but no link written without it would match.
            if (link.isEmpty() || link.get().host().endsWith(".")) {
                throw new IllegalArgumentException(
                        "allowedRedirectHosts must hold host names alone, without a scheme, port,"
                                + " path, query, fragment or final dot, and with a number last only"
                                + " in an IPv4 address of four decimal parts, not "
                                + Values.excerpt(host)
                                + (looksLikeBareIpv6(host)
                                        ? "; write an IPv6 address in brackets"
                                        : ""));
            }
        }
        return hosts.stream()
                .map(host -> WebLink.parse("https://" + host + "/").orElseThrow().host())
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Returns whether the text can be nothing but a host: put into a URL to be parsed, a port,
     * path, query, fragment or user would be read from it and dropped, widening the entry to the
     * whole host, or to another one ({@code evil.example#.example.com}). A bracketed IPv6 address
     * holds colons of its own.
     */
    private static boolean isHostAlone(String host) {
        if (host.startsWith("[") && host.endsWith("]")) {
            String inside = host.substring(1, host.length() - 1);
            return inside.indexOf(':') >= 0
                    && inside.indexOf('%') < 0
                    && IpAddress.parse(inside) != null;
        }
        for (int i = 0; i < host.length(); i++) {
            if ("/?#@\\[]:".indexOf(host.charAt(i)) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean looksLikeBareIpv6(String host) {
        return host != null
                && !host.startsWith("[")
                && host.chars().filter(c -> c == ':').count() > 1;
    }
}
