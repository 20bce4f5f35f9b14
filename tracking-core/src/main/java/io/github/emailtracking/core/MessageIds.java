package io.github.emailtracking.core;

import io.github.emailtracking.api.InvalidRequestException;
import io.github.emailtracking.api.TrackedEmail;
import io.github.emailtracking.api.TrackingId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

/** Message-ID values (RFC 5322): making them, checking them, and finding them in headers. */
final class MessageIds {

    /**
     * How many ids of a reply's headers are looked up at the most: the nearest ones, as a long
     * thread's {@code References} lists its oldest ids first and its newest last.
     */
    static final int MAX_REFERENCES = 100;

    /** RFC 5322's {@code dot-atom-text}: atoms of letters, digits and symbols, joined by dots. */
    private static final String DOT_ATOM =
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*";

    /**
     * A {@code msg-id} as RFC 5322 has new ones written: a dot-atom, then after the {@code @} a
     * dot-atom or a domain literal in brackets.
     */
    private static final Pattern NEW_MESSAGE_ID =
            Pattern.compile("<" + DOT_ATOM + "@(?:" + DOT_ATOM + "|\\[[!-Z^-~]+\\])>");

    private MessageIds() {}

    /**
     * Returns the Message-ID the tracker gives an email: its tracking id at the tracker's host, an
     * IPv6 address in brackets, as a domain literal is written.
     */
    static String forEmail(TrackingId id, String host) {
        String domain = host.contains(":") ? "[" + host + "]" : host;
        return "<" + id.value() + "@" + domain + ">";
    }

    /**
     * Returns {@code value} in angle brackets, adding them when missing.
     *
     * @throws InvalidRequestException if it cannot be a Message-ID
     */
    static String normalize(String value, String field) {
        String trimmed = value.strip();
        String bracketed =
                trimmed.startsWith("<") && trimmed.endsWith(">") ? trimmed : "<" + trimmed + ">";
        if (!isWellFormed(bracketed)) {
            throw new InvalidRequestException(
                    field
                            + " must look like <unique-part@domain>, in printable ASCII, at most "
                            + TrackedEmail.MAX_MESSAGE_ID_LENGTH
                            + " characters");
        }
        return bracketed;
    }

    /**
     * Returns {@code value} in angle brackets, adding them when missing, for an email to be sent
     * with. It must be written as RFC 5322 has a new Message-ID written, so that every mail system
     * on the way reads it alike: a quote, a parenthesis (which starts a header comment), a second
     * {@code @} or an empty part would not be.
     *
     * @throws InvalidRequestException if it is not
     */
    static String forNewEmail(String value, String field) {
        String messageId = normalize(value, field);
        if (!NEW_MESSAGE_ID.matcher(messageId).matches()) {
            throw new InvalidRequestException(
                    field
                            + " must look like <unique-part@domain>, each side of the @ letters,"
                            + " digits and !#$%&'*+-/=?^_`{|}~ in parts joined by single dots, or"
                            + " the domain a [literal]");
        }
        return messageId;
    }

    /**
     * Returns the Message-IDs a reply's headers name as its parents, nearest first: {@code
     * In-Reply-To}, then {@code References} from its end, {@value #MAX_REFERENCES} at the most.
     * Malformed parts are skipped; a header without angle brackets is read as one id.
     */
    static List<String> parents(String inReplyTo, String references) {
        List<String> ids = new ArrayList<>(idsIn(inReplyTo));
        List<String> referenced = idsIn(references);
        for (int i = referenced.size() - 1; i >= 0 && ids.size() < MAX_REFERENCES; i--) {
            if (!ids.contains(referenced.get(i))) {
                ids.add(referenced.get(i));
            }
        }
        return ids;
    }

    /**
     * Returns whether a bracketed id can be a Message-ID: short enough, with an {@code @} inside,
     * in printable ASCII. No tracked email has any other, so a header part that is not one can
     * match nothing.
     */
    private static boolean isWellFormed(String bracketed) {
        String inner = bracketed.substring(1, bracketed.length() - 1);
        return bracketed.length() <= TrackedEmail.MAX_MESSAGE_ID_LENGTH
                && inner.indexOf('@') > 0
                && inner.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != '<' && c != '>');
    }

    /** Returns the last {@value #MAX_REFERENCES} well-formed ids in {@code header}, in order. */
    private static List<String> idsIn(String header) {
        Deque<String> ids = new ArrayDeque<>();
        if (header == null) {
            return List.of();
        }
        if (header.indexOf('<') < 0) {
            // Some tools pass on a lone id without its brackets.
            String bracketed = "<" + header.strip() + ">";
            return isWellFormed(bracketed) ? List.of(bracketed) : List.of();
        }
        int start = header.indexOf('<');
        while (start >= 0) {
            int end = header.indexOf('>', start);
            if (end < 0) {
                break;
            }
            String id = header.substring(start, end + 1);
            if (isWellFormed(id)) {
                ids.addLast(id);
                if (ids.size() > MAX_REFERENCES) {
                    ids.removeFirst();
                }
            }
            start = header.indexOf('<', end);
        }
        return List.copyOf(ids);
    }
}
