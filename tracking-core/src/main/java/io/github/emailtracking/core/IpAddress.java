package io.github.emailtracking.core;

/**
 * An IPv4 or IPv6 address as 128 bits, so that one comparison serves both families: an IPv4 address
 * is held as its IPv4-mapped IPv6 form ({@code ::ffff:a.b.c.d}).
 *
 * <p>Parsing reads only literals and never resolves a name, so that a hostile or odd value on the
 * open and click routes can never start a DNS lookup.
 *
 * @param high the first 64 bits
 * @param low the last 64 bits
 */
record IpAddress(long high, long low) {

    /** The bits above an IPv4 address in its IPv4-mapped IPv6 form. */
    static final long IPV4_MAPPED_PREFIX = 0xffffL << 32;

    private static final int IPV6_WORDS = 8;

    /**
     * Returns the address written in {@code text}, or null when it is not a literal IPv4 or IPv6
     * address. IPv6 may be in brackets and may carry a zone ({@code %eth0}), which is dropped.
     */
    static IpAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.indexOf(':') < 0) {
            long ipv4 = parseIpv4(text, 0, text.length());
            return ipv4 < 0 ? null : ofIpv4(ipv4);
        }
        int from = text.charAt(0) == '[' ? 1 : 0;
        int to = text.length() - (from == 1 && text.endsWith("]") ? 1 : 0);
        if (from == 1 && to == text.length()) {
            return null;
        }
        int zone = text.indexOf('%', from);
        return parseIpv6(text, from, zone >= 0 && zone < to ? zone : to);
    }

    /** Returns the IPv4-mapped form of a 32-bit IPv4 address. */
    static IpAddress ofIpv4(long ipv4) {
        return new IpAddress(0, IPV4_MAPPED_PREFIX | ipv4);
    }

    /**
     * Returns the network this address belongs to: its /24 for IPv4, its /48 for IPv6, with the
     * host bits zero.
     */
    IpAddress network() {
        return isIpv4() ? new IpAddress(high, low & ~0xffL) : new IpAddress(high & ~0xffffL, 0);
    }

    /**
     * Returns the address written the standard way: dotted-quad for IPv4, and for IPv6 the RFC 5952
     * form (lower case, no leading zeros, the longest run of zero words written {@code ::}).
     */
    String text() {
        if (isIpv4()) {
            return ((low >>> 24) & 0xff)
                    + "."
                    + ((low >>> 16) & 0xff)
                    + "."
                    + ((low >>> 8) & 0xff)
                    + "."
                    + (low & 0xff);
        }
        int[] words = words();
        int[] zeros = longestZeroRun(words);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < IPV6_WORDS; i++) {
            if (i == zeros[0] && zeros[1] > 1) {
                text.append(i == 0 ? "::" : ":");
                i += zeros[1] - 1;
                continue;
            }
            text.append(Integer.toHexString(words[i]));
            if (i < IPV6_WORDS - 1) {
                text.append(':');
            }
        }
        return text.toString();
    }

    private int[] words() {
        int[] words = new int[IPV6_WORDS];
        for (int i = 0; i < IPV6_WORDS; i++) {
            long half = i < 4 ? high : low;
            words[i] = (int) ((half >>> (16 * (3 - i % 4))) & 0xffff);
        }
        return words;
    }

    /** Returns the start and length of the first longest run of zero words. */
    private static int[] longestZeroRun(int[] words) {
        int[] best = {-1, 0};
        int start = -1;
        for (int i = 0; i <= IPV6_WORDS; i++) {
            if (i < IPV6_WORDS && words[i] == 0) {
                start = start < 0 ? i : start;
            } else if (start >= 0) {
                if (i - start > best[1]) {
                    best = new int[] {start, i - start};
                }
                start = -1;
            }
        }
        return best;
    }

    /** Returns whether this is an IPv4 address (held in its IPv4-mapped form). */
    boolean isIpv4() {
        return high == 0 && (low >>> 32) == 0xffffL;
    }

    /**
     * Returns the 32-bit value of dotted-quad IPv4 in {@code text[from, to)}, or -1. Parts with a
     * leading zero are refused, as some readers take them for octal.
     */
    static long parseIpv4(String text, int from, int to) {
        long value = 0;
        int at = from;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (at >= to || text.charAt(at) != '.') {
                    return -1;
                }
                at++;
            }
            int start = at;
            int number = 0;
            while (at < to && at - start < 3 && isDigit(text.charAt(at))) {
                number = number * 10 + (text.charAt(at) - '0');
                at++;
            }
            boolean leadingZero = at - start > 1 && text.charAt(start) == '0';
            if (at == start || number > 255 || leadingZero) {
                return -1;
            }
            value = (value << 8) | number;
        }
        return at == to ? value : -1;
    }

    private static IpAddress parseIpv6(String text, int from, int to) {
        int[] words = new int[IPV6_WORDS];
        int count = 0;
        int gap = -1;
        int at = from;
        if (text.startsWith("::", at)) {
            gap = 0;
            at += 2;
        }
        while (at < to) {
            int start = at;
            int word = 0;
            while (at < to && at - start < 4 && hexValue(text.charAt(at)) >= 0) {
                word = (word << 4) | hexValue(text.charAt(at));
                at++;
            }
            if (at < to && text.charAt(at) == '.') {
                return ipv4Tail(text, start, to, words, count, gap);
            }
            if (at == start || count == IPV6_WORDS) {
                return null;
            }
            words[count++] = word;
            if (at == to) {
                break;
            }
            if (text.charAt(at) != ':' || at + 1 == to) {
                return null;
            }
            at++;
            if (text.charAt(at) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = count;
                at++;
            }
        }
        return expand(words, count, gap);
    }

    private static IpAddress ipv4Tail(
            String text, int start, int to, int[] words, int count, int gap) {
        long ipv4 = parseIpv4(text, start, to);
        if (ipv4 < 0 || count > IPV6_WORDS - 2) {
            return null;
        }
        words[count] = (int) (ipv4 >>> 16);
        words[count + 1] = (int) (ipv4 & 0xffff);
        return expand(words, count + 2, gap);
    }

    private static IpAddress expand(int[] words, int count, int gap) {
        boolean complete = gap < 0 ? count == IPV6_WORDS : count < IPV6_WORDS;
        if (!complete) {
            return null;
        }
        long[] halves = new long[2];
        int missing = IPV6_WORDS - count;
        for (int i = 0; i < count; i++) {
            int position = gap >= 0 && i >= gap ? i + missing : i;
            halves[position / 4] |= (long) words[i] << (16 * (3 - position % 4));
        }
        return new IpAddress(halves[0], halves[1]);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int hexValue(char c) {
        if (isDigit(c)) {
            return c - '0';
        }
        char lower = Character.toLowerCase(c);
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }
}
