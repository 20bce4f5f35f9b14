package io.github.emailtracking.servlet;

import io.github.emailtracking.api.InvalidRequestException;

/** Checks on text from requests that Java strings can hold but Unicode cannot. */
final class Unicode {

    private Unicode() {}

    /**
     * Refuses text holding half of a surrogate pair.
     *
     * @param what what the text is, to begin the message, such as {@code "field 'name'"}
     * @throws InvalidRequestException if it holds one
     */
    static void requireWhole(String text, String what) {
        if (text != null && hasLoneSurrogate(text)) {
            throw new InvalidRequestException(
                    what + " holds half of a surrogate pair; text must be valid Unicode");
        }
    }

    /**
     * Returns whether the text holds half of a UTF-16 surrogate pair, which a JSON escape can make
     * and which no store keeps as it was sent: it comes back as a question mark.
     */
    static boolean hasLoneSurrogate(String text) {
        return text.codePoints().anyMatch(c -> Character.getType(c) == Character.SURROGATE);
    }
}
