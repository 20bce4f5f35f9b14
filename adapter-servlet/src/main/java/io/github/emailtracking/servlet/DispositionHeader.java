package io.github.emailtracking.servlet;

/** Reads parameters of a {@code Content-Disposition} value as mail flows write them. */
final class DispositionHeader {

    private DispositionHeader() {}

    /**
     * Returns the value of parameter {@code name} (quoted or not), or null when absent. Only the
     * plain form is read; an RFC 8187 {@code filename*} is not.
     */
    static String parameter(String disposition, String name) {
        if (disposition == null) {
            return null;
        }
        int i = 0;
        while (i < disposition.length()) {
            int semicolon = nextSeparator(disposition, i);
            String piece = disposition.substring(i, semicolon);
            int equals = piece.indexOf('=');
            if (equals > 0 && piece.substring(0, equals).strip().equalsIgnoreCase(name)) {
                return unquote(piece.substring(equals + 1).strip());
            }
            i = semicolon + 1;
        }
        return null;
    }

    /** Returns the index of the next ';' outside quotes, or the length. */
    private static int nextSeparator(String text, int from) {
        boolean quoted = false;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ';' && !quoted) {
                return i;
            }
        }
        return text.length();
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replace("\\\"", "\"");
        }
        return value;
    }
}
