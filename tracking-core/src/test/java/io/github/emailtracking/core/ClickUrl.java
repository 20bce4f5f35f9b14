package io.github.emailtracking.core;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of a click URL, with its query decoded as the click route decodes it.
 *
 * @param signature the {@code sig} parameter, or null when the URL has none
 */
record ClickUrl(String trackingId, String redirect, String signature) {

    /** Returns the parts of {@code url}, or empty when it is not a click URL under {@code base}. */
    static Optional<ClickUrl> parse(String base, String url) {
        String prefix = base + "/click/";
        int query = url.indexOf('?');
        if (!url.startsWith(prefix) || query < 0) {
            return Optional.empty();
        }

        Map<String, String> parameters = new HashMap<>();
        for (String pair : url.substring(query + 1).split("&")) {
            int equals = pair.indexOf('=');
            parameters.put(decode(pair.substring(0, equals)), decode(pair.substring(equals + 1)));
        }
        String trackingId = url.substring(prefix.length(), query);
        return Optional.of(
                new ClickUrl(trackingId, parameters.get("redirect"), parameters.get("sig")));
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
