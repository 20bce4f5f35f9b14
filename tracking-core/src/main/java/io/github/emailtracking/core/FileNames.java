package io.github.emailtracking.core;

import java.util.Locale;
import java.util.regex.Pattern;

/** Turns the names and types that senders declare for files into safe display values. */
final class FileNames {

    /** Name used when a sender gave none that survives cleaning. */
    static final String DEFAULT_NAME = "attachment";

    /** Type used when a sender gave none or one that is not a plain {@code type/subtype}. */
    static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    /** Longest name kept, in characters; file systems allow about as much. */
    static final int MAX_NAME_LENGTH = 255;

    /** Longest extension kept when a name is cut, its dot included, in characters. */
    static final int MAX_EXTENSION_LENGTH = 16;

    private static final Pattern MEDIA_TYPE =
            Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}");

    private FileNames() {}

    /**
     * Returns the last path segment of {@code name} without control characters, direction
     * overrides, quotes at its ends or leading dots, cut to {@value #MAX_NAME_LENGTH} characters
     * with its extension kept; or {@value #DEFAULT_NAME} when nothing is left.
     */
    static String cleanName(String name) {
        if (name == null) {
            return DEFAULT_NAME;
        }
        String lastSegment =
                name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        StringBuilder kept = new StringBuilder(lastSegment.length());
        lastSegment.codePoints().filter(FileNames::isDisplayable).forEach(kept::appendCodePoint);

        String cut = withoutEnds(cut(withoutEnds(kept.toString())));
        return cut.isEmpty() ? DEFAULT_NAME : cut;
    }

    /**
     * Returns the name without spaces of any kind and quotes at either end, nor dots at its start,
     * in any order, as in {@code ". .x"}. A quote at an end is left over from a header whose
     * quoting broke off.
     */
    private static String withoutEnds(String name) {
        int start = 0;
        int end = name.length();
        while (start < end && (isSpaceOrQuote(name.charAt(start)) || name.charAt(start) == '.')) {
            start++;
        }
        while (end > start && isSpaceOrQuote(name.charAt(end - 1))) {
            end--;
        }
        return name.substring(start, end);
    }

    private static boolean isSpaceOrQuote(char c) {
        return c == '"' || Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    /**
     * Cuts a name to {@value #MAX_NAME_LENGTH} characters, keeping its extension when it has a
     * short one, so that the file still opens with the right program.
     */
    private static String cut(String name) {
        if (name.length() <= MAX_NAME_LENGTH) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String extension =
                dot > 0 && name.length() - dot <= MAX_EXTENSION_LENGTH ? name.substring(dot) : "";
        String stem = name.substring(0, name.length() - extension.length());
        return prefix(stem, MAX_NAME_LENGTH - extension.length()) + extension;
    }

    /** Returns at most {@code maxChars} characters of {@code text}, no surrogate pair split. */
    private static String prefix(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        int end = maxChars;
        if (Character.isHighSurrogate(text.charAt(end - 1))
                && Character.isLowSurrogate(text.charAt(end))) {
            end--;
        }
        return text.substring(0, end);
    }

    /** Returns {@code contentType} without parameters, in lower case, when it is well formed. */
    static String cleanContentType(String contentType) {
        if (contentType == null) {
            return DEFAULT_CONTENT_TYPE;
        }
        int semicolon = contentType.indexOf(';');
        String bare = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        String lower = bare.toLowerCase(Locale.ROOT);
        return MEDIA_TYPE.matcher(lower).matches() ? lower : DEFAULT_CONTENT_TYPE;
    }

    private static boolean isDisplayable(int codePoint) {
        int type = Character.getType(codePoint);
        return !Character.isISOControl(codePoint)
                && type != Character.FORMAT
                && type != Character.LINE_SEPARATOR
                && type != Character.PARAGRAPH_SEPARATOR
                && type != Character.SURROGATE
                && type != Character.PRIVATE_USE
                && type != Character.UNASSIGNED;
    }
}
