package io.github.emailtracking.core;

/**
 * Counts the attributes of a start tag as written, before the parser merges those named twice: the
 * parser keeps only so many, and counting after the merge would miss a tag whose repeated
 * attributes pushed a link out. It follows the states of the HTML tokenizer that read attributes.
 */
final class StartTag {

    private final String source;
    private final int end;
    private int at;

    private StartTag(String source, int start, int end) {
        this.source = source;
        this.at = start;
        this.end = end;
    }

    /**
     * Returns how many attributes the start tag written at {@code source[start, end)}, from its
     * {@code <} to its {@code >}, holds, repeated names counted each time.
     */
    static int attributeCount(String source, int start, int end) {
        StartTag tag = new StartTag(source, start + 1, end);
        tag.skipTagName();
        return tag.countAttributes();
    }

    private void skipTagName() {
        while (at < end && !isSpace(source.charAt(at)) && !isEndOfTag(source.charAt(at))) {
            at++;
        }
    }

    private void skipAttributeName() {
        while (at < end
                && !isSpace(source.charAt(at))
                && !isEndOfTag(source.charAt(at))
                && source.charAt(at) != '=') {
            at++;
        }
    }

    private int countAttributes() {
        int count = 0;
        while (true) {
            skipSpacesAndSlashes();
            if (at >= end || source.charAt(at) == '>') {
                return count;
            }
            count++;
            at++; // A name's first character may be '=', which ends no name.
            skipAttributeName();
            skipValue();
        }
    }

    /** Reads the value after a name, if the next character but spaces is {@code =}. */
    private void skipValue() {
        int afterName = at;
        skipSpaces();
        if (at >= end || source.charAt(at) != '=') {
            at = afterName;
            return;
        }
        at++;
        skipSpaces();
        if (at >= end) {
            return;
        }
        char quote = source.charAt(at);
        if (quote == '"' || quote == '\'') {
            int close = source.indexOf(quote, at + 1);
            at = close < 0 || close >= end ? end : close + 1;
        } else {
            while (at < end && !isSpace(source.charAt(at)) && source.charAt(at) != '>') {
                at++;
            }
        }
    }

    private void skipSpacesAndSlashes() {
        while (at < end && (isSpace(source.charAt(at)) || source.charAt(at) == '/')) {
            at++;
        }
    }

    private void skipSpaces() {
        while (at < end && isSpace(source.charAt(at))) {
            at++;
        }
    }

    private static boolean isEndOfTag(char c) {
        return c == '/' || c == '>';
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
    }
}
