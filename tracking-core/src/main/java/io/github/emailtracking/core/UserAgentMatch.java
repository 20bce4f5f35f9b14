package io.github.emailtracking.core;

import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How a rule recognizes a {@code User-Agent}: the whole of it, a part of it (both ignoring case),
 * or a regular expression found anywhere in it.
 *
 * @param kind how the text is compared
 * @param text what is compared, in lower case for {@link Kind#EQUALS} and {@link Kind#CONTAINS}
 * @param regex the compiled expression for {@link Kind#REGEX}, else null
 */
record UserAgentMatch(Kind kind, String text, Pattern regex) {

    /** The ways of comparing, as written in a rule. */
    enum Kind {
        EQUALS,
        CONTAINS,
        REGEX;

        /** Returns the word a rule writes for this kind. */
        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Returns the match for {@code text}.
     *
     * @throws IllegalArgumentException if a regular expression does not compile
     */
    static UserAgentMatch of(Kind kind, String text) {
        if (kind != Kind.REGEX) {
            return new UserAgentMatch(kind, text.toLowerCase(Locale.ROOT), null);
        }
        try {
            return new UserAgentMatch(kind, text, Pattern.compile(text));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "regex '" + text + "' does not compile: " + e.getDescription());
        }
    }

    /** Returns whether the user agent matches; {@code lowerCase} is the same text in lower case. */
    boolean matches(String userAgent, String lowerCase) {
        return switch (kind) {
            case EQUALS -> lowerCase.equals(text);
            case CONTAINS -> lowerCase.contains(text);
            case REGEX -> regex.matcher(userAgent).find();
        };
    }
}
