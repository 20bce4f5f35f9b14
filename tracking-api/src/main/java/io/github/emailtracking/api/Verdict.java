package io.github.emailtracking.api;

/** Who made an open or a click, as far as the request shows. */
public enum Verdict {
    /** A person, in their own mail client or browser. */
    HUMAN,
    /**
     * A person behind a proxy that fetches on their behalf, such as Gmail's image proxy: the event
     * is real, but its address and user agent are the proxy's.
     */
    PROXY,
    /**
     * A machine acting on its own: a privacy proxy prefetching every pixel at delivery, a security
     * gateway following every link, a prefetcher, a bot.
     */
    MACHINE;

    /** Returns whether a person stands behind the event: {@link #HUMAN} or {@link #PROXY}. */
    public boolean isPerson() {
        return this != MACHINE;
    }
}
