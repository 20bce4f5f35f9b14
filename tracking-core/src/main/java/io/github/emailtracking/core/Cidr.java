package io.github.emailtracking.core;

/**
 * A range of addresses written as a prefix and its length in bits, such as {@code 40.92.0.0/15} or
 * {@code 2a01:111:f400::/48}. IPv4 ranges are held in the IPv4-mapped IPv6 space, so a /15 is kept
 * as a /111.
 *
 * @param high the first 64 bits of the prefix, with the bits past the prefix cleared
 * @param low the last 64 bits of the prefix, likewise cleared
 * @param bits how many leading bits of the 128 an address must share to be in the range
 */
record Cidr(long high, long low, int bits) {

    private static final int IPV4_BITS = 32;
    private static final int IPV6_BITS = 128;
    private static final int IPV4_MAPPED_BITS = IPV6_BITS - IPV4_BITS;

    /**
     * Reads a range; an address without {@code /bits} is a range of that one address.
     *
     * @throws IllegalArgumentException if the text is not a range, naming what is wrong with it
     */
    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        IpAddress address = IpAddress.parse(addressText);
        if (address == null) {
            throw new IllegalArgumentException(
                    "'" + addressText + "' is not an IPv4 or IPv6 address");
        }
        int familyBits = addressText.indexOf(':') < 0 ? IPV4_BITS : IPV6_BITS;
        int prefix = slash < 0 ? familyBits : prefixLength(text.substring(slash + 1), familyBits);
        int bits = familyBits == IPV4_BITS ? IPV4_MAPPED_BITS + prefix : prefix;

        Cidr range = new Cidr(address.high() & highMask(bits), address.low() & lowMask(bits), bits);
        if (range.high != address.high() || range.low != address.low()) {
            throw new IllegalArgumentException(
                    "'" + text + "' has bits set past its /" + prefix + " prefix");
        }
        return range;
    }

    /** Returns whether {@code address} is in this range. */
    boolean contains(IpAddress address) {
        return (address.high() & highMask(bits)) == high && (address.low() & lowMask(bits)) == low;
    }

    /** Returns the mask that keeps the leading {@code bits} of the first 64 bits. */
    static long highMask(int bits) {
        if (bits >= 64) {
            return -1L;
        }
        return bits == 0 ? 0 : -1L << (64 - bits);
    }

    /** Returns the mask that keeps what the leading {@code bits} cover of the last 64 bits. */
    static long lowMask(int bits) {
        if (bits <= 64) {
            return 0;
        }
        return bits == IPV6_BITS ? -1L : -1L << (IPV6_BITS - bits);
    }

    private static int prefixLength(String text, int familyBits) {
        boolean digits =
                !text.isEmpty()
                        && text.length() <= 3
                        && text.chars().allMatch(c -> c >= '0' && c <= '9');
        int prefix = digits ? Integer.parseInt(text) : -1;
        if (prefix < 0 || prefix > familyBits) {
            throw new IllegalArgumentException(
                    "'/" + text + "' is not a prefix length from 0 to " + familyBits);
        }
        return prefix;
    }
}
