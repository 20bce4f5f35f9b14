package io.github.emailtracking.core;

/** How much of a client's address the tracker keeps with each open and click. */
public enum IpAddressPolicy {
    /** The whole address. */
    FULL,
    /** The network only: IPv4 to /24 ({@code 192.0.2.0}), IPv6 to /48 ({@code 2001:db8:1::}). */
    TRUNCATED,
    /** Nothing. */
    NONE
}
