package io.github.emailtracking.core;

import java.util.List;
import java.util.Random;

/** Picks addresses inside published ranges, for labelled traces. */
final class RandomAddresses {

    private static final long IPV4_BITS_MASK = 0xffff_ffffL;

    private RandomAddresses() {}

    /** Returns an address inside one of {@code ranges}, chosen at random. */
    static String in(List<String> ranges, Random random) {
        return in(ranges.get(random.nextInt(ranges.size())), random);
    }

    /** Returns an address inside {@code range}, such as {@code 40.92.0.0/15}. */
    static String in(String range, Random random) {
        Cidr cidr = Cidr.parse(range);
        long high = cidr.high() | (random.nextLong() & ~Cidr.highMask(cidr.bits()));
        long low = cidr.low() | (random.nextLong() & ~Cidr.lowMask(cidr.bits()));
        IpAddress address = new IpAddress(high, low);
        return address.isIpv4() ? ipv4(low & IPV4_BITS_MASK) : ipv6(high, low);
    }

    private static String ipv4(long value) {
        return (value >>> 24)
                + "."
                + (value >>> 16 & 255)
                + "."
                + (value >>> 8 & 255)
                + "."
                + (value & 255);
    }

    private static String ipv6(long high, long low) {
        StringBuilder text = new StringBuilder();
        for (int word = 0; word < 8; word++) {
            long half = word < 4 ? high : low;
            int shift = 48 - 16 * (word % 4);
            text.append(word == 0 ? "" : ":").append(Long.toHexString(half >>> shift & 0xffff));
        }
        return text.toString();
    }
}
