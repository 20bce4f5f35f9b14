package io.github.emailtracking.core;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What one open or click request shows, and what the same email did around it: the input of {@link
 * EventClassifier#classify}. Build one with {@link #builder}.
 *
 * @param kind whether the pixel was fetched or a link followed
 * @param at when the request arrived
 * @param method the HTTP method, such as {@code GET} or {@code HEAD}; null is taken for GET
 * @param userAgent the {@code User-Agent} header, or null when none was sent; cut to {@value
 *     ClientInfo#MAX_USER_AGENT_LENGTH} characters
 * @param ipAddress the client's address as the host determined it, or null when unknown
 * @param secPurpose the {@code Sec-Purpose} header, or null
 * @param purpose the {@code Purpose} header, or null
 * @param xMoz the {@code X-Moz} header, or null
 * @param xPurpose the {@code X-Purpose} header, or null
 * @param from the {@code From} header, or null
 * @param sentAt when the email was sent, or null when unknown (the rules that need it are skipped)
 * @param previousOtherEventAt when the same email last had an event at another target (the pixel
 *     before this click, another link before this one, a click before this open), or null when none
 *     is remembered
 * @param recentDistinctLinks for a click, how many distinct links of the same email were clicked
 *     within the classifier's link burst window, this one included; 0 for an open
 */
public record EventContext(
        EventKind kind,
        Instant at,
        String method,
        String userAgent,
        String ipAddress,
        String secPurpose,
        String purpose,
        String xMoz,
        String xPurpose,
        String from,
        Instant sentAt,
        Instant previousOtherEventAt,
        int recentDistinctLinks) {

    /**
     * The request headers the classifier reads besides {@code User-Agent}; an adapter passes each
     * to {@link Builder#header}.
     */
    public static final List<String> HEADERS =
            List.of("Sec-Purpose", "Purpose", "X-Moz", "X-Purpose", "From");

    /**
     * Creates the context; {@code kind} and {@code at} are required.
     *
     * @throws IllegalArgumentException if {@code recentDistinctLinks} is negative
     */
    public EventContext {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
        if (recentDistinctLinks < 0) {
            throw new IllegalArgumentException(
                    "recentDistinctLinks must not be negative, not " + recentDistinctLinks);
        }
        if (userAgent != null && userAgent.length() > ClientInfo.MAX_USER_AGENT_LENGTH) {
            userAgent = userAgent.substring(0, ClientInfo.MAX_USER_AGENT_LENGTH);
        }
    }

    /** Returns a builder for an event of {@code kind} that arrived {@code at}. */
    public static Builder builder(EventKind kind, Instant at) {
        return new Builder(kind, at);
    }

    /** Collects an {@link EventContext}; every value but the kind and the time is optional. */
    public static final class Builder {

        private final EventKind kind;
        private final Instant at;
        private String method;
        private String userAgent;
        private String ipAddress;
        private String secPurpose;
        private String purpose;
        private String xMoz;
        private String xPurpose;
        private String from;
        private Instant sentAt;
        private Instant previousOtherEventAt;
        private int recentDistinctLinks;

        private Builder(EventKind kind, Instant at) {
            this.kind = Objects.requireNonNull(kind, "kind");
            this.at = Objects.requireNonNull(at, "at");
        }

        /** Sets the HTTP method. */
        public Builder method(String method) {
            this.method = method;
            return this;
        }

        /**
         * Sets what the host knows of the client: its address, user agent, method and the headers
         * it sent; a method or header the client does not carry keeps the value set before.
         */
        public Builder client(ClientInfo client) {
            this.ipAddress = client.ipAddress();
            this.userAgent = client.userAgent();
            if (client.method() != null) {
                this.method = client.method();
            }
            client.headers().forEach(this::header);
            return this;
        }

        /** Sets the {@code User-Agent} header. */
        public Builder userAgent(String userAgent) {
            this.userAgent = userAgent;
            return this;
        }

        /** Sets the client's address. */
        public Builder ipAddress(String ipAddress) {
            this.ipAddress = ipAddress;
            return this;
        }

        /**
         * Sets one of the {@link #HEADERS}, named in any case; other names are ignored, so an
         * adapter may pass what it has.
         */
        public Builder header(String name, String value) {
            switch (name.toLowerCase(Locale.ROOT)) {
                case "sec-purpose" -> secPurpose = value;
                case "purpose" -> purpose = value;
                case "x-moz" -> xMoz = value;
                case "x-purpose" -> xPurpose = value;
                case "from" -> from = value;
                default -> {
                    // not a header the classifier reads
                }
            }
            return this;
        }

        /** Sets when the email was sent. */
        public Builder sentAt(Instant sentAt) {
            this.sentAt = sentAt;
            return this;
        }

        /** Sets when the same email last had an event at another target. */
        public Builder previousOtherEventAt(Instant previousOtherEventAt) {
            this.previousOtherEventAt = previousOtherEventAt;
            return this;
        }

        /** Sets how many distinct links of the email were clicked within the burst window. */
        public Builder recentDistinctLinks(int recentDistinctLinks) {
            this.recentDistinctLinks = recentDistinctLinks;
            return this;
        }

        /**
         * Returns the context.
         *
         * @throws IllegalArgumentException if {@code recentDistinctLinks} is negative
         */
        public EventContext build() {
            return new EventContext(
                    kind,
                    at,
                    method,
                    userAgent,
                    ipAddress,
                    secPurpose,
                    purpose,
                    xMoz,
                    xPurpose,
                    from,
                    sentAt,
                    previousOtherEventAt,
                    recentDistinctLinks);
        }
    }
}
