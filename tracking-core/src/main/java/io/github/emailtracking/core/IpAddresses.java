package io.github.emailtracking.core;

/**
 * Applies an {@link IpAddressPolicy} to an address as the host reported it. The host may give an
 * IPv6 address in brackets and either family with a port ({@code [2001:db8::1]:4711}, {@code
 * 192.0.2.1:80}), as some containers do behind a proxy; the port is dropped. An address that does
 * not parse is never kept, whatever the policy, so that no made-up value is stored.
 */
final class IpAddresses {

    private static final int MAX_PORT_DIGITS = 5;

    private IpAddresses() {}

    /**
     * Returns what the policy keeps of {@code address}, written the standard way, or null when the
     * policy keeps nothing or the address does not parse.
     */
    static String apply(IpAddressPolicy policy, String address) {
        if (address == null || policy == IpAddressPolicy.NONE) {
            return null;
        }
        IpAddress parsed = IpAddress.parse(withoutPort(address.strip()));
        if (parsed == null) {
            return null;
        }
        return policy == IpAddressPolicy.FULL ? parsed.text() : parsed.network().text();
    }

    /**
     * Returns the address without its brackets and port, or null when what follows the address is
     * not a port.
     */
    private static String withoutPort(String address) {
        if (address.startsWith("[")) {
            int close = address.indexOf(']');
            if (close < 0 || !isPortOrNothing(address.substring(close + 1))) {
                return null;
            }
            return address.substring(1, close);
        }
        int colon = address.indexOf(':');
        if (colon < 0 || colon != address.lastIndexOf(':')) {
            // No port, or an IPv6 address without brackets, which cannot carry one.
            return address;
        }
        return isPortOrNothing(address.substring(colon)) ? address.substring(0, colon) : null;
    }

    private static boolean isPortOrNothing(String rest) {
        if (rest.isEmpty()) {
            return true;
        }
        String digits = rest.substring(1);
        return rest.charAt(0) == ':'
                && !digits.isEmpty()
                && digits.length() <= MAX_PORT_DIGITS
                && digits.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
