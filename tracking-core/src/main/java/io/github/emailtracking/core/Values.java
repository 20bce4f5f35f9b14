package io.github.emailtracking.core;

import io.github.emailtracking.api.InvalidRequestException;
import io.github.emailtracking.api.TrackedEmail;

/** Checks on the free-text values callers send, with messages that name the bad value. */
final class Values {

    /** Longest owner subject accepted, in characters. */
    static final int MAX_SUBJECT_LENGTH = 255;

    private static final int EXCERPT_LENGTH = 60;

    private Values() {}

    /**
     * Returns {@code value} stripped, or fails when it is blank, too long, or holds a control, a
     * line separator, a direction mark or half of a surrogate pair.
     */
    static String requireText(String value, String name, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(name + " is required");
        }
        String stripped = value.strip();
        if (stripped.length() > maxLength) {
            throw new InvalidRequestException(
                    name + " must be at most " + maxLength + " characters");
        }
        if (stripped.codePoints().anyMatch(Values::isControlOrMark)) {
            throw new InvalidRequestException(
                    name
                            + " must not contain control characters, line separators or direction"
                            + " marks");
        }
        return requireWhole(stripped, name);
    }

    /**
     * Returns {@code value}, or fails when it holds half of a UTF-16 surrogate pair: a Java string
     * can, but no store keeps such text as it was given.
     *
     * @param value the text, or null
     * @param name what the text is, to begin the message
     */
    static String requireWhole(String value, String name) {
        if (value != null && hasLoneSurrogate(value)) {
            throw new InvalidRequestException(
                    name + " holds half of a surrogate pair; text must be valid Unicode");
        }
        return value;
    }

    /** Returns whether the text holds a surrogate that is not part of a pair. */
    static boolean hasLoneSurrogate(String value) {
        return value.codePoints().anyMatch(c -> Character.getType(c) == Character.SURROGATE);
    }

    /**
     * Returns the address stripped, or fails when it cannot be an email address: it needs one
     * {@code @} with text on both sides, a domain of dot-separated labels none of which is empty or
     * begins or ends with a hyphen, and no space of any kind, quote, angle bracket or character
     * that shows nothing (such as a soft hyphen or a zero-width space). An address that holds an
     * invisible character looks like another one, and an erasure of the one it looks like would
     * miss it.
     */
    static String requireEmailAddress(String value) {
        String address = requireText(value, "recipientEmail", TrackedEmail.MAX_RECIPIENT_LENGTH);
        int at = address.lastIndexOf('@');
        // An @ in the name part needs quotes, which are refused below.
        boolean valid =
                at > 0
                        && address.indexOf('@') == at
                        && isDomain(address.substring(at + 1))
                        && address.codePoints().noneMatch(Values::isBlankOrInvisible)
                        && address.chars().noneMatch(c -> c == '<' || c == '>' || c == '"');
        if (!valid) {
            throw new InvalidRequestException(
                    "recipientEmail must be an address like name@example.com, not "
                            + excerpt(address));
        }
        return address;
    }

    private static boolean isDomain(String domain) {
        if (domain.isEmpty()) {
            return false;
        }
        for (String label : domain.split("\\.", -1)) {
            if (label.isEmpty() || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
        }
        return true;
    }

    /** Returns whether a character is a space of any kind, a control or a format character. */
    private static boolean isBlankOrInvisible(int codePoint) {
        int type = Character.getType(codePoint);
        return Character.isWhitespace(codePoint)
                || Character.isSpaceChar(codePoint)
                || type == Character.CONTROL
                || type == Character.FORMAT;
    }

    /**
     * Returns a short, quoted, printable excerpt of an untrusted value for a message: controls,
     * format characters (such as direction overrides) and half surrogate pairs become {@code ?}.
     */
    static String excerpt(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        value.codePoints()
                .limit(EXCERPT_LENGTH)
                .forEach(c -> out.appendCodePoint(isPrintable(c) ? c : '?'));
        if (value.codePointCount(0, value.length()) > EXCERPT_LENGTH) {
            out.append("...");
        }
        return out.append('"').toString();
    }

    /**
     * Returns whether a character is a control, a line or paragraph separator, a byte-order mark or
     * a direction mark or override, none of which belongs in a name. Joiners, which emoji and some
     * scripts need, are kept.
     */
    static boolean isControlOrMark(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR
                || codePoint == '\uFEFF'
                || codePoint == '\u061C'
                || codePoint == '\u200E'
                || codePoint == '\u200F'
                || (codePoint >= '\u202A' && codePoint <= '\u202E')
                || (codePoint >= '\u2066' && codePoint <= '\u2069');
    }

    private static boolean isPrintable(int codePoint) {
        int type = Character.getType(codePoint);
        return type != Character.CONTROL && type != Character.FORMAT && type != Character.SURROGATE;
    }
}
