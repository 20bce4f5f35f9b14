package io.github.emailtracking.api;

import java.util.Objects;

/**
 * What an open or a click was judged to be, and why.
 *
 * @param verdict who made the event
 * @param reason a short kebab-case word for the rule that decided, such as {@code
 *     "apple-privacy-proxy"} or {@code "link-scanner"}; null for a plain human event
 */
public record Classification(Verdict verdict, String reason) {

    /** A plain human event, with no rule to name. */
    public static final Classification HUMAN = new Classification(Verdict.HUMAN, null);

    /** Creates the classification; {@code verdict} is required. */
    public Classification {
        Objects.requireNonNull(verdict, "verdict");
    }

    /** Returns a machine classification for {@code reason}. */
    public static Classification machine(String reason) {
        return new Classification(Verdict.MACHINE, Objects.requireNonNull(reason, "reason"));
    }

    /** Returns a proxy classification for {@code reason}. */
    public static Classification proxy(String reason) {
        return new Classification(Verdict.PROXY, Objects.requireNonNull(reason, "reason"));
    }
}
