package io.github.emailtracking.core;

/**
 * A client in a labelled trace: what its requests show.
 *
 * @param userAgent its {@code User-Agent}
 * @param ipAddress the address its requests come from
 */
record TraceClient(String userAgent, String ipAddress) {}
