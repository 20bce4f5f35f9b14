package io.github.emailtracking.api.spi;

import java.util.Optional;

/**
 * Reads the letters of a domain label back from its ASCII form, by the Punycode algorithm of RFC
 * 3492, without the checks of the international-name rules: Java's {@link java.net.IDN} applies the
 * older rules' checks on the way back, and gives the ASCII form unchanged for a label they refuse,
 * such as {@code straße} or a right-to-left label ending in a digit.
 */
final class Punycode {

    private static final int BASE = 36;
    private static final int T_MIN = 1;
    private static final int T_MAX = 26;
    private static final int SKEW = 38;
    private static final int DAMP = 700;
    private static final int INITIAL_BIAS = 72;
    private static final int INITIAL_N = 0x80;

    private Punycode() {}

    /**
     * Returns the letters that the Punycode text encodes (a label without its {@code xn--}), or
     * empty when it is not valid Punycode.
     */
    static Optional<String> decode(String encoded) {
        int delimiter = encoded.lastIndexOf('-');
        int[] output = new int[encoded.length()];
        int length = 0;
        for (int j = 0; j < Math.max(delimiter, 0); j++) {
            char c = encoded.charAt(j);
            if (c >= 0x80) {
                return Optional.empty();
            }
            output[length++] = c;
        }

        long n = INITIAL_N;
        long i = 0;
        int bias = INITIAL_BIAS;
        int in = delimiter > 0 ? delimiter + 1 : 0;
        while (in < encoded.length()) {
            long before = i;
            long weight = 1;
            for (int k = BASE; ; k += BASE) {
                if (in >= encoded.length()) {
                    return Optional.empty();
                }
                int digit = digit(encoded.charAt(in++));
                if (digit >= BASE || digit * weight > Integer.MAX_VALUE - i) {
                    return Optional.empty();
                }
                i += digit * weight;
                int threshold = k <= bias ? T_MIN : Math.min(k - bias, T_MAX);
                if (digit < threshold) {
                    break;
                }
                weight *= BASE - threshold;
                if (weight > Integer.MAX_VALUE) {
                    return Optional.empty();
                }
            }
            length++;
            bias = adapt(i - before, length, before == 0);
            n += i / length;
            i %= length;
            if (n > Character.MAX_CODE_POINT || length > output.length) {
                return Optional.empty();
            }
            System.arraycopy(output, (int) i, output, (int) i + 1, length - 1 - (int) i);
            output[(int) i++] = (int) n;
        }
        return Optional.of(new String(output, 0, length));
    }

    private static int adapt(long delta, int points, boolean first) {
        long scaled = first ? delta / DAMP : delta / 2;
        scaled += scaled / points;
        int k = 0;
        while (scaled > ((BASE - T_MIN) * T_MAX) / 2) {
            scaled /= BASE - T_MIN;
            k += BASE;
        }
        return (int) (k + (BASE - T_MIN + 1) * scaled / (scaled + SKEW));
    }

    private static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0' + 26;
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a';
        }
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        return BASE;
    }
}
