package io.github.emailtracking.core;

import java.util.List;
import java.util.Objects;

/**
 * An HTML mail body that tracks itself, and the original links found in it.
 *
 * @param html the body with the open pixel added and its links pointing at click URLs
 * @param links the original links that were rewritten, in document order, each once
 */
record InstrumentedHtml(String html, List<String> links) {

    /** Creates the result; {@code links} is copied. */
    InstrumentedHtml {
        Objects.requireNonNull(html, "html");
        links = List.copyOf(links);
    }
}
