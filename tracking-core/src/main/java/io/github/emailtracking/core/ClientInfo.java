package io.github.emailtracking.core;

/**
 * What the tracker is told about the client behind an open or a click.
 *
 * @param ipAddress the client's address as the host determined it, or null when unknown
 * @param userAgent the client's {@code User-Agent} header, or null when it sent none; cut to
 *     {@value #MAX_USER_AGENT_LENGTH} characters when longer
 */
public record ClientInfo(String ipAddress, String userAgent) {

    /** Longest {@code User-Agent} kept, in characters; real ones stay well below. */
    public static final int MAX_USER_AGENT_LENGTH = 512;

    /** The client of a call that did not come over a network, such as a test or a script. */
    public static final ClientInfo UNKNOWN = new ClientInfo(null, null);

    /** Creates the description, cutting an over-long user agent. */
    public ClientInfo {
        if (userAgent != null && userAgent.length() > MAX_USER_AGENT_LENGTH) {
            userAgent = userAgent.substring(0, MAX_USER_AGENT_LENGTH);
        }
    }
}
