package io.github.emailtracking.core;

import io.github.emailtracking.api.InvalidRequestException;
import io.github.emailtracking.api.TrackedEmail;
import java.text.Normalizer;

/** Checks on the free-text values callers send, with messages that name the bad value. */
final class Values {

    /** Longest owner subject accepted, in characters. */
    static final int MAX_SUBJECT_LENGTH = 255;

    private static final int EXCERPT_LENGTH = 60;

    /** The full stop and the ideographic and fullwidth ones that international names read as it. */
    private static final String LABEL_SEPARATORS = "[.\u3002\uFF0E\uFF61]";

    private Values() {}

    /**
     * Returns {@code value} stripped, or fails when it is blank (spaces and characters that show
     * nothing, such as a zero-width space, only), too long, or holds a control, a line separator, a
     * direction mark or half of a surrogate pair.
     */
    static String requireText(String value, String name, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(name + " is required");
        }
        if (value.codePoints().allMatch(Values::showsNothing)) {
            throw new InvalidRequestException(
                    name + " shows nothing: it holds only spaces and invisible characters");
        }
        String stripped = value.strip();
        if (stripped.codePointCount(0, stripped.length()) > maxLength) {
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
     * {@code @} with text on both sides, a domain of labels separated by dots (or the ideographic
     * and fullwidth full stops that international names read as dots) none of which is empty or
     * begins or ends with a hyphen, no part or label that begins with an accent or other combining
     * mark, and no space of any kind, quote, angle bracket, character that shows nothing (such as a
     * soft hyphen, a zero-width space, a variation selector or a Hangul filler), private-use or
     * unassigned character. An address that holds an invisible character looks like another one,
     * and an erasure of the one it looks like would miss it. Nor may it hold a compatibility
     * character (a fullwidth letter, a ligature, a superscript): an erasure finds an address under
     * its plain form, which would find two registered addresses that differ only in these.
     */
    static String requireEmailAddress(String value) {
        String address = requireText(value, "recipientEmail", TrackedEmail.MAX_RECIPIENT_LENGTH);
        int at = address.lastIndexOf('@');
        // An @ in the name part needs quotes, which are refused below.
        boolean valid =
                at > 0
                        && address.indexOf('@') == at
                        && isDomain(address.substring(at + 1))
                        && !startsWithMark(address)
                        && address.codePoints().noneMatch(Values::isBlankOrInvisible)
                        && address.chars().noneMatch(c -> c == '<' || c == '>' || c == '"');
        if (!valid) {
            throw new InvalidRequestException(
                    "recipientEmail must be an address like name@example.com, not "
                            + excerpt(address)
                            + invisibleCharacter(address));
        }
        if (!Normalizer.normalize(address, Normalizer.Form.NFKC)
                .equals(Normalizer.normalize(address, Normalizer.Form.NFC))) {
            throw new InvalidRequestException(
                    "recipientEmail must be written in plain letters and digits, without"
                            + " fullwidth forms, ligatures, superscripts or other compatibility"
                            + " characters, not "
                            + excerpt(address));
        }
        return address;
    }

    private static boolean isDomain(String domain) {
        if (domain.isEmpty()) {
            return false;
        }
        for (String label : domain.split(LABEL_SEPARATORS, -1)) {
            boolean valid =
                    !label.isEmpty()
                            && !label.startsWith("-")
                            && !label.endsWith("-")
                            && !startsWithMark(label);
            if (!valid) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithMark(String text) {
        int type = Character.getType(text.codePointAt(0));
        return type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    /**
     * Names the first blank or invisible character of an address refused, which its excerpt shows
     * only as a {@code ?} or not at all; empty when it has none.
     */
    private static String invisibleCharacter(String address) {
        return address.codePoints()
                .filter(Values::isBlankOrInvisible)
                .mapToObj(
                        c -> String.format(" (it holds U+%04X, a blank or invisible character)", c))
                .findFirst()
                .orElse("");
    }

    /**
     * Returns whether a character is a space of any kind, a control, a character that shows nothing
     * (Unicode's default-ignorable code points, the braille blank, the Mongolian soft hyphen, which
     * international domain names drop), or a private-use or unassigned one.
     */
    private static boolean isBlankOrInvisible(int codePoint) {
        int type = Character.getType(codePoint);
        return Character.isWhitespace(codePoint)
                || Character.isSpaceChar(codePoint)
                || type == Character.CONTROL
                || type == Character.FORMAT
                || type == Character.PRIVATE_USE
                || type == Character.UNASSIGNED
                || codePoint == '\u2800'
                || codePoint == '\u1806'
                || isDefaultIgnorable(codePoint);
    }

    /** Returns whether Unicode lists the character as one to show nothing for, when unsupported. */
    private static boolean isDefaultIgnorable(int c) {
        return c == 0x00AD
                || c == 0x034F
                || c == 0x061C
                || (c >= 0x115F && c <= 0x1160)
                || (c >= 0x17B4 && c <= 0x17B5)
                || (c >= 0x180B && c <= 0x180F)
                || (c >= 0x200B && c <= 0x200F)
                || (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2060 && c <= 0x206F)
                || c == 0x3164
                || (c >= 0xFE00 && c <= 0xFE0F)
                || c == 0xFEFF
                || c == 0xFFA0
                || (c >= 0xFFF0 && c <= 0xFFF8)
                || (c >= 0x1BCA0 && c <= 0x1BCA3)
                || (c >= 0x1D173 && c <= 0x1D17A)
                || (c >= 0xE0000 && c <= 0xE0FFF);
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
     * Returns whether a character is a space of any kind or one that shows nothing: a format
     * character (a zero-width space, a joiner, a mark) or another of Unicode's default-ignorable
     * ones, or the braille blank.
     */
    private static boolean showsNothing(int codePoint) {
        return Character.isWhitespace(codePoint)
                || Character.isSpaceChar(codePoint)
                || Character.getType(codePoint) == Character.FORMAT
                || codePoint == '\u2800'
                || isDefaultIgnorable(codePoint);
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
