package io.github.emailtracking.core;

import io.github.emailtracking.api.Classification;
import io.github.emailtracking.api.Verdict;
import io.github.emailtracking.core.Thresholds.Threshold;
import io.github.emailtracking.core.UserAgentMatch.Kind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads classifier rules written one a line; {@link EventClassifier} documents the format. Every
 * bad line is reported, each with its number, in one exception.
 */
final class RuleReader {

    private static final Pattern REASON = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final int MAX_REASON_LENGTH = 40;
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
    private static final Duration MAX_MACHINE_WITHIN = Duration.ofDays(30);
    private static final int MAX_LINE_LENGTH = 10_000;
    private static final int MAX_LINES = 1_000_000;
    private static final int MAX_CHARACTERS = 10_000_000;
    private static final int MAX_PROBLEMS = 100;

    private final List<ClassifierRule> rules = new ArrayList<>();
    private final Map<Threshold, Long> thresholds = new EnumMap<>(Threshold.class);

    private RuleReader() {}

    /**
     * Reads the rules of {@code text}, named {@code source} in messages.
     *
     * @throws IllegalArgumentException if a line is not a rule, with a message naming each such
     *     line and what is wrong with it
     * @throws IOException if reading fails
     */
    static ClassifierRules read(String source, Reader text) throws IOException {
        RuleReader reader = new RuleReader();
        List<String> problems = new ArrayList<>();
        BufferedReader lines = new BufferedReader(text);
        int number = 0;
        long characters = 0;
        int unlisted = 0;
        for (String line = nextLine(lines, source, 1); line != null; ) {
            number++;
            characters += line.length();
            if (characters > MAX_CHARACTERS) {
                throw new IllegalArgumentException(
                        source
                                + " is longer than "
                                + MAX_CHARACTERS
                                + " characters; is it a rules"
                                + " file?");
            }
            try {
                reader.readLine(number == 1 ? withoutByteOrderMark(line) : line.strip());
            } catch (IllegalArgumentException e) {
                if (problems.size() < MAX_PROBLEMS) {
                    problems.add(source + " line " + number + ": " + e.getMessage());
                } else {
                    unlisted++;
                }
            }
            line =
                    number < MAX_LINES
                            ? nextLine(lines, source, number + 1)
                            : tooMany(lines, source);
        }
        if (unlisted > 0) {
            problems.add(source + ": and " + unlisted + " more lines that are not rules");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return new ClassifierRules(source, reader.rules, reader.thresholds);
    }

    /**
     * Returns the next line, or null at the end; a line longer than {@value #MAX_LINE_LENGTH}
     * characters, as a file that is no rules file would have, fails the read before it is held.
     *
     * @throws IllegalArgumentException if the line is too long, or the text is not UTF-8
     */
    private static String nextLine(BufferedReader lines, String source, int number)
            throws IOException {
        StringBuilder line = new StringBuilder();
        try {
            for (int c = lines.read(); c >= 0; c = lines.read()) {
                if (c == '\n') {
                    return line.toString();
                }
                if (c == '\r') {
                    skipLineFeed(lines);
                    return line.toString();
                }
                if (line.length() == MAX_LINE_LENGTH) {
                    throw new IllegalArgumentException(
                            source
                                    + " line "
                                    + number
                                    + " is longer than "
                                    + MAX_LINE_LENGTH
                                    + " characters; is it a rules file?");
                }
                line.append((char) c);
            }
        } catch (CharacterCodingException e) {
            // The decoder reads ahead of the lines, so the line it failed in is not known.
            throw new IllegalArgumentException(
                    source + " is not UTF-8 text; rules files are written in UTF-8");
        }
        return line.isEmpty() ? null : line.toString();
    }

    /** Reads past the line feed of a CR LF pair, whose carriage return was just read. */
    private static void skipLineFeed(BufferedReader lines) throws IOException {
        lines.mark(1);
        if (lines.read() != '\n') {
            lines.reset();
        }
    }

    private static String tooMany(BufferedReader lines, String source) throws IOException {
        if (lines.read() < 0) {
            return null;
        }
        throw new IllegalArgumentException(
                source + " has more than " + MAX_LINES + " lines; is it a rules file?");
    }

    /** Returns the first line stripped, without the byte order mark an editor may write first. */
    private static String withoutByteOrderMark(String line) {
        return (line.startsWith("\uFEFF") ? line.substring(1) : line).strip();
    }

    private void readLine(String line) {
        if (line.isEmpty() || line.startsWith("#")) {
            return;
        }
        Words words = new Words(line);
        String kind = words.next();
        switch (kind) {
            case "agent" -> rules.add(agentRule(words));
            case "address" -> rules.add(addressRule(words));
            case "threshold" -> threshold(words);
            default ->
                    throw new IllegalArgumentException(
                            "'" + kind + "' is not a rule; expected agent, address or threshold");
        }
    }

    private static ClassifierRule agentRule(Words words) {
        Outcome outcome = outcome(words);
        String how = required(outcome.next, "equals, contains or regex and the user agent text");
        Kind kind = matchKind(how);
        String text = words.rest();
        if (text.isEmpty()) {
            throw new IllegalArgumentException(
                    "the user agent text after '" + how + "' is missing");
        }
        return outcome.rule(UserAgentMatch.of(kind, text), null);
    }

    private static ClassifierRule addressRule(Words words) {
        Outcome outcome = outcome(words);
        Cidr range = Cidr.parse(required(outcome.next, "an address range such as 192.0.2.0/24"));
        String extra = words.next();
        if (extra != null) {
            throw new IllegalArgumentException("unexpected '" + extra + "' after the range");
        }
        return outcome.rule(null, range);
    }

    private void threshold(Words words) {
        String name = required(words.next(), "a threshold name");
        Threshold threshold = thresholdNamed(name);
        String value = required(words.next(), "a value for " + name);
        long number = threshold.isCount() ? count(value) : duration(value).toMillis();
        String extra = words.next();
        if (extra != null) {
            throw new IllegalArgumentException("unexpected '" + extra + "' after the value");
        }
        if (!threshold.accepts(number)) {
            throw new IllegalArgumentException(
                    name + " must be " + threshold.range() + ", not " + value);
        }
        if (thresholds.putIfAbsent(threshold, number) != null) {
            throw new IllegalArgumentException("threshold " + name + " is set twice in this file");
        }
    }

    /** Reads verdict, reason and options; {@code next} is the first word after them. */
    private static Outcome outcome(Words words) {
        Verdict verdict = verdict(required(words.next(), "a verdict: human, proxy or machine"));
        String reason = reason(required(words.next(), "a reason such as link-scanner"));
        EventKind on = null;
        long machineWithin = 0;
        Set<String> given = new HashSet<>();
        String word = words.next();
        for (; word != null && word.contains("="); word = words.next()) {
            String key = word.substring(0, word.indexOf('='));
            String value = word.substring(word.indexOf('=') + 1);
            if (!given.add(key)) {
                throw new IllegalArgumentException("'" + key + "' is given twice");
            }
            switch (key) {
                case "on" -> on = eventKind(value);
                case "machine-within" -> machineWithin = machineWithin(value, verdict);
                default ->
                        throw new IllegalArgumentException(
                                "'" + key + "' is not an option; expected on or machine-within");
            }
        }
        return new Outcome(new Classification(verdict, reason), on, machineWithin, word);
    }

    private record Outcome(Classification result, EventKind on, long machineWithin, String next) {

        ClassifierRule rule(UserAgentMatch userAgent, Cidr addresses) {
            return new ClassifierRule(userAgent, addresses, on, result, machineWithin);
        }
    }

    private static Verdict verdict(String word) {
        for (Verdict verdict : Verdict.values()) {
            if (verdict.name().toLowerCase(Locale.ROOT).equals(word)) {
                return verdict;
            }
        }
        throw new IllegalArgumentException(
                "'" + word + "' is not a verdict; expected human, proxy or machine");
    }

    private static String reason(String word) {
        if (word.length() > MAX_REASON_LENGTH || !REASON.matcher(word).matches()) {
            throw new IllegalArgumentException(
                    "'"
                            + word
                            + "' is not a reason; expected a short kebab-case word such as"
                            + " link-scanner");
        }
        return word;
    }

    private static EventKind eventKind(String word) {
        return switch (word) {
            case "open" -> EventKind.OPEN;
            case "click" -> EventKind.CLICK;
            default ->
                    throw new IllegalArgumentException(
                            "on=" + word + " is not an event kind; expected on=open or on=click");
        };
    }

    private static long machineWithin(String value, Verdict verdict) {
        if (verdict == Verdict.MACHINE) {
            throw new IllegalArgumentException(
                    "machine-within is for human or proxy rules; this one is a machine already");
        }
        Duration within = duration(value);
        if (within.compareTo(MAX_MACHINE_WITHIN) > 0) {
            throw new IllegalArgumentException(
                    "machine-within must be at most "
                            + DurationFormat.format(MAX_MACHINE_WITHIN)
                            + ", not "
                            + value);
        }
        return within.toMillis();
    }

    private static Kind matchKind(String word) {
        for (Kind kind : Kind.values()) {
            if (kind.word().equals(word)) {
                return kind;
            }
        }
        throw new IllegalArgumentException(
                "'" + word + "' is not a way to match; expected equals, contains or regex");
    }

    private static Threshold thresholdNamed(String word) {
        for (Threshold threshold : Threshold.values()) {
            if (threshold.word().equals(word)) {
                return threshold;
            }
        }
        throw new IllegalArgumentException(
                "'"
                        + word
                        + "' is not a threshold; expected too-fast-open, too-fast-click,"
                        + " follow-up-gap, link-burst-window or link-burst-count");
    }

    private static Duration duration(String text) {
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    "'"
                            + text
                            + "' is not a duration; expected a whole number and ms, s, m, h"
                            + " or d, such as 500ms or 5s");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    private static long count(String text) {
        if (!text.matches("\\d{1,9}")) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number");
        }
        return Long.parseLong(text);
    }

    private static String required(String word, String what) {
        if (word == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        return word;
    }

    /** The words of one line, read left to right; the rest of the line may be taken whole. */
    private static final class Words {

        private final String line;
        private int at;

        Words(String line) {
            this.line = line;
        }

        /** Returns the next word, or null at the end of the line. */
        String next() {
            while (at < line.length() && Character.isWhitespace(line.charAt(at))) {
                at++;
            }
            if (at == line.length()) {
                return null;
            }
            int start = at;
            while (at < line.length() && !Character.isWhitespace(line.charAt(at))) {
                at++;
            }
            return line.substring(start, at);
        }

        /** Returns what is left of the line, without surrounding space. */
        String rest() {
            String rest = line.substring(at).strip();
            at = line.length();
            return rest;
        }
    }
}
