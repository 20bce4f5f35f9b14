package io.github.emailtracking.core;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Applies an {@link IpAddressPolicy} to an address as the host reported it. */
final class IpAddresses {

    private IpAddresses() {}

    /** Returns what the policy keeps of {@code address}; an unparseable one is not kept. */
    static String apply(IpAddressPolicy policy, String address) {
        if (address == null || policy == IpAddressPolicy.NONE) {
            return null;
        }
        if (policy == IpAddressPolicy.FULL) {
            return address;
        }
        return truncate(address);
    }

    private static String truncate(String address) {
        if (address.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')) {
            return truncateIpv4(address);
        }
        boolean ipv6Literal =
                address.indexOf(':') >= 0
                        && address.chars()
                                .allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        return ipv6Literal ? truncateIpv6(address) : null;
    }

    private static String truncateIpv4(String address) {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        return parts[0] + "." + parts[1] + "." + parts[2] + ".0";
    }

    private static String truncateIpv6(String address) {
        try {
            // Only a literal reaches here, so no name is ever looked up.
            byte[] bytes = InetAddress.getByName(address).getAddress();
            if (bytes.length == 4) {
                return truncateIpv4(InetAddress.getByAddress(bytes).getHostAddress());
            }
            return String.format(
                    "%x:%x:%x::",
                    ((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF),
                    ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF),
                    ((bytes[4] & 0xFF) << 8) | (bytes[5] & 0xFF));
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
