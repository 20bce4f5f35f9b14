package io.github.emailtracking.core;

import io.github.emailtracking.api.spi.TrackingStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/** The checked settings of one tracker, as its builder collected them. */
record TrackerSettings(
        TrackingStore store,
        String publicBaseUrl,
        Clock clock,
        IdGenerator idGenerator,
        long maxAttachmentBytes,
        Set<String> allowedRedirectHosts,
        int topLinkLimit,
        int maxLinksPerEmail,
        int maxReplyMessageChars,
        Duration collapseOpensWithin,
        IpAddressPolicy ipAddressPolicy,
        EventClassifier classifier) {

    static final long DEFAULT_MAX_ATTACHMENT_BYTES = 25L * 1024 * 1024;
    static final int DEFAULT_TOP_LINK_LIMIT = 10;
    static final int DEFAULT_MAX_LINKS_PER_EMAIL = 1000;
    static final int DEFAULT_MAX_REPLY_MESSAGE_CHARS = 100_000;
}
