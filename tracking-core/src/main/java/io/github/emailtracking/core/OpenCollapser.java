package io.github.emailtracking.core;

import io.github.emailtracking.api.OpenEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Decides whether an open repeats one that the same client made of the same email a moment ago, so
 * that one script reloading a pixel cannot inflate a campaign. Remembers a bounded number of recent
 * (email, address, user agent) triples, evicting the least recently seen.
 *
 * <p>Note: the memory is per process. Behind several nodes, a client whose requests are spread over
 * N nodes can have up to N opens counted per window. Thread-safe.
 */
final class OpenCollapser {

    /** Most triples remembered; at about 200 bytes each, some 20 MB at the most. */
    static final int MAX_REMEMBERED = 100_000;

    private final Duration window;
    private final Map<Key, Instant> lastSeen =
            new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Key, Instant> eldest) {
                    return size() > MAX_REMEMBERED;
                }
            };

    OpenCollapser(Duration window) {
        this.window = window;
    }

    /**
     * Returns true when {@code open} repeats a recent one and should not be recorded.
     *
     * @param clientAddress the client's whole address, written the standard way, or null when it
     *     has none that parses: not the open's, which the address policy may have cut short or left
     *     out, and which would then take different clients for one
     */
    synchronized boolean isRepeat(OpenEvent open, String clientAddress) {
        Key key = new Key(open.trackingId().value(), clientAddress, open.userAgent());
        Instant previous = lastSeen.get(key);
        if (previous != null && open.at().isBefore(previous.plus(window))) {
            return true;
        }
        lastSeen.put(key, open.at());
        return false;
    }

    private record Key(String trackingId, String ipAddress, String userAgent) {
        Key {
            Objects.requireNonNull(trackingId);
        }
    }
}
