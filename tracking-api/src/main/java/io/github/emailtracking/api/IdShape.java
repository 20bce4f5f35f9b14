package io.github.emailtracking.api;

/** The one rule every identifier of this library follows: URL-safe and short. */
final class IdShape {

    /** Longest identifier accepted; anything longer cannot have been generated here. */
    static final int MAX_LENGTH = 64;

    private IdShape() {}

    static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (!isUrlSafe(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static String require(String value, String kind) {
        if (!isValid(value)) {
            throw new InvalidRequestException(
                    kind
                            + " must be 1 to "
                            + MAX_LENGTH
                            + " characters of A-Z, a-z, 0-9, '-' or '_'");
        }
        return value;
    }

    private static boolean isUrlSafe(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || c == '_';
    }
}
