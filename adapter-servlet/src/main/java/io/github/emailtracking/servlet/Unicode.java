package io.github.emailtracking.servlet;

/** Checks on text from requests that Java strings can hold but Unicode cannot. */
final class Unicode {

    private Unicode() {}

    /**
     * Returns whether the text holds half of a UTF-16 surrogate pair, which a JSON escape can make
     * and which no store keeps as it was sent: it comes back as a question mark.
     */
    static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
