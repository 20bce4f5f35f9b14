package io.github.emailtracking.core;

import io.github.emailtracking.api.Classification;
import io.github.emailtracking.api.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells whether an open or a click was made by a person, by a person behind a proxy, or by a
 * machine, and names the rule that decided. {@link #defaults()} has the built-in rules; a host adds
 * its own as text with {@link #builder()}.
 *
 * <h2>How an event is judged</h2>
 *
 * The first of these steps that decides, decides:
 *
 * <ol>
 *   <li>The request itself: {@code HEAD} is {@code head-request}; a {@code Sec-Purpose}, {@code
 *       Purpose}, {@code X-Moz} or {@code X-Purpose} header starting with {@code prefetch} or
 *       {@code preview} is {@code prefetch} (browsers mark speculative fetches so); no {@code
 *       User-Agent}, or a {@code From} header (which HTTP asks robots to send), is {@code
 *       bot-agent}. All machines, and no rule overrides them.
 *   <li>The rules: of the user agent and address rules that judge this kind of event and match it,
 *       the earliest wins. A machine verdict is final.
 *   <li>Timing, for every event not yet judged a machine: an open sooner than {@code too-fast-open}
 *       after sending, or sooner than {@code follow-up-gap} after the email's last event at another
 *       target, is {@code too-fast}; a click sooner than {@code too-fast-click} after sending,
 *       sooner than {@code follow-up-gap} after an event at another target, or that makes {@code
 *       link-burst-count} distinct links of the email within {@code link-burst-window}, is {@code
 *       link-scanner}.
 *   <li>Otherwise the matching rule's verdict (a proxy, say), or {@link Classification#HUMAN}.
 * </ol>
 *
 * <h2>Rule format</h2>
 *
 * Text in UTF-8, one rule a line; blank lines and lines starting with {@code #} are skipped:
 *
 * <pre>
 * agent     VERDICT REASON [OPTION...] equals|contains|regex TEXT
 * address   VERDICT REASON [OPTION...] RANGE
 * threshold NAME VALUE
 * </pre>
 *
 * <ul>
 *   <li>{@code VERDICT} is {@code human}, {@code proxy} or {@code machine}; {@code REASON} is a
 *       kebab-case word of at most 40 characters, such as {@code security-gateway}.
 *   <li>{@code equals} and {@code contains} compare with the {@code User-Agent} ignoring case;
 *       {@code regex} is a Java regular expression found anywhere in it, case-sensitive unless it
 *       says {@code (?i)}. {@code TEXT} is the rest of the line and may hold spaces. A host's
 *       regular expression runs on every open and click: keep it simple, without nested repetition.
 *   <li>{@code RANGE} is an IPv4 or IPv6 address with an optional {@code /bits}, such as {@code
 *       40.92.0.0/15} or {@code 2a01:111:f400::/48}; bits past the prefix must be zero.
 *   <li>Options: {@code on=open} or {@code on=click} limits the rule to one kind of event; {@code
 *       machine-within=DURATION}, for a human or proxy rule, judges a matching event a machine
 *       (with the same reason) when it comes sooner than that after sending.
 *   <li>Thresholds: {@code too-fast-open}, {@code too-fast-click}, {@code follow-up-gap} and {@code
 *       link-burst-window} take a duration, {@code link-burst-count} a number of links (2 to 16); 0
 *       turns a timing rule off. Windows are at most 2 minutes, what {@code RecentActivity}
 *       remembers.
 *   <li>A duration is a whole number and {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}.
 * </ul>
 *
 * <p>For example, to count an office network as people and a partner's link checker as a machine:
 *
 * <pre>
 * address   human   office-network 198.51.100.0/24
 * agent     machine link-checker   contains PartnerLinkCheck/
 * threshold too-fast-click 10s
 * </pre>
 *
 * <p>The built-in rules are in {@code io/github/emailtracking/core/classifier-rules.txt} in this
 * jar, with the published facts behind each. Each source a host adds is a layer over them: its
 * rules are tried before those of the sources added before it and before the built-in ones, and a
 * threshold it sets replaces theirs.
 *
 * <h2>What cannot be told apart</h2>
 *
 * <ul>
 *   <li>Apple Mail Privacy Protection fetches every pixel through Apple's proxies when the device
 *       downloads the message, and the same proxies carry later fetches. A fetch with Apple's proxy
 *       user agent within an hour of sending is judged a machine; a later one is judged a proxy,
 *       though it may be a prefetch by a device that was offline at delivery. An Apple user who
 *       reads the mail usually causes no fetch at all (the image is cached), so such opens are seen
 *       only through the clicks that follow.
 *   <li>Gmail's and Yahoo's image proxies fetch for a reader and cache the image: a fetch is a
 *       person behind a proxy, and later opens by the same reader may not reach the tracker.
 *   <li>A security gateway's first click of a mail looks like a person's when it comes from an
 *       address no rule names, with a browser's user agent, after the too-fast window: only the
 *       clicks that follow it at machine speed show the burst.
 *   <li>The timing rules use the memory of one process; behind several nodes, a burst split across
 *       nodes is seen in parts.
 *   <li>A person who opens several links of a mail within a few seconds, or a host whose mails are
 *       clicked within seconds of sending (a sign-in code, say), may be judged a machine; raise
 *       {@code too-fast-click} or the burst thresholds for such mail.
 * </ul>
 *
 * <p>Instances are immutable and thread-safe; {@link #classify} allocates little and does no I/O.
 */
public final class EventClassifier {

    /** The name of the built-in rules, a resource beside this class. */
    static final String BUILT_IN_RULES = "classifier-rules.txt";

    private static final Logger log = LoggerFactory.getLogger(EventClassifier.class);

    private static final Classification HEAD_REQUEST = Classification.machine("head-request");
    private static final Classification PREFETCH = Classification.machine("prefetch");
    private static final Classification BOT_AGENT = Classification.machine("bot-agent");
    private static final Classification TOO_FAST = Classification.machine("too-fast");
    private static final Classification LINK_SCANNER = Classification.machine("link-scanner");
    private static final long UNKNOWN = Long.MAX_VALUE;

    private final RuleIndex openRules;
    private final RuleIndex clickRules;
    private final Thresholds thresholds;

    private EventClassifier(List<ClassifierRule> rules, Thresholds thresholds) {
        this.openRules = new RuleIndex(rules, EventKind.OPEN);
        this.clickRules = new RuleIndex(rules, EventKind.CLICK);
        this.thresholds = thresholds;
    }

    /** Returns the classifier with the built-in rules only. */
    public static EventClassifier defaults() {
        return BuiltIn.DEFAULTS;
    }

    /** Returns a builder that starts from the built-in rules. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Judges one open or click.
     *
     * @return the verdict and the reason, never null; {@link Classification#HUMAN} when no rule has
     *     anything to say
     */
    public Classification classify(EventContext event) {
        Objects.requireNonNull(event, "event");
        Classification byRequest = byRequest(event);
        if (byRequest != null) {
            return byRequest;
        }

        long sinceSent = millisSinceSent(event);
        RuleIndex rules = event.kind() == EventKind.OPEN ? openRules : clickRules;
        ClassifierRule rule = rules.find(event.userAgent(), event.ipAddress());
        Classification byRule = rule == null ? null : rule.judge(sinceSent);
        if (byRule != null && byRule.verdict() == Verdict.MACHINE) {
            return byRule;
        }

        Classification byTiming = byTiming(event, sinceSent);
        if (byTiming != null) {
            return byTiming;
        }
        return byRule != null ? byRule : Classification.HUMAN;
    }

    /** Returns the window within which distinct clicked links of one email are counted. */
    Duration linkBurstWindow() {
        return Duration.ofMillis(thresholds.linkBurstWindowMillis());
    }

    /** Returns the timing limits in force. */
    Thresholds thresholds() {
        return thresholds;
    }

    private static Classification byRequest(EventContext event) {
        if ("HEAD".equalsIgnoreCase(event.method())) {
            return HEAD_REQUEST;
        }
        boolean prefetch =
                isPrefetch(event.secPurpose())
                        || isPrefetch(event.purpose())
                        || isPrefetch(event.xMoz())
                        || isPrefetch(event.xPurpose());
        if (prefetch) {
            return PREFETCH;
        }
        if (isBlank(event.userAgent()) || !isBlank(event.from())) {
            return BOT_AGENT;
        }
        return null;
    }

    private Classification byTiming(EventContext event, long sinceSent) {
        boolean click = event.kind() == EventKind.CLICK;
        long tooFast = click ? thresholds.tooFastClickMillis() : thresholds.tooFastOpenMillis();
        boolean early = tooFast > 0 && sinceSent < tooFast;
        boolean burst =
                click
                        && thresholds.linkBurstCount() > 0
                        && event.recentDistinctLinks() >= thresholds.linkBurstCount();
        if (!early && !burst && !isFollowUp(event)) {
            return null;
        }
        return click ? LINK_SCANNER : TOO_FAST;
    }

    private boolean isFollowUp(EventContext event) {
        Instant previous = event.previousOtherEventAt();
        if (thresholds.followUpGapMillis() == 0 || previous == null) {
            return false;
        }
        long gap = Math.abs(event.at().toEpochMilli() - previous.toEpochMilli());
        return gap < thresholds.followUpGapMillis();
    }

    private static long millisSinceSent(EventContext event) {
        if (event.sentAt() == null) {
            return UNKNOWN;
        }
        return event.at().toEpochMilli() - event.sentAt().toEpochMilli();
    }

    private static boolean isPrefetch(String value) {
        if (value == null) {
            return false;
        }
        String purpose = value.strip();
        return purpose.regionMatches(true, 0, "prefetch", 0, "prefetch".length())
                || purpose.regionMatches(true, 0, "preview", 0, "preview".length());
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /**
     * Builds an {@link EventClassifier} from the built-in rules and the host's. Not thread-safe;
     * the classifier it builds is.
     */
    public static final class Builder {

        private final List<ClassifierRules> added = new ArrayList<>();
        private boolean builtInRules = true;

        private Builder() {}

        /**
         * Adds rules in the format of {@link EventClassifier}, read from {@code rules} as UTF-8 to
         * its end (the stream is not closed). They are tried before the built-in rules and before
         * those added earlier, and their thresholds replace earlier ones.
         *
         * @param source a name for the rules in messages, such as a file name
         * @throws IllegalArgumentException if a line is not a rule, an option or a threshold is
         *     given twice, or the text is not UTF-8 (a byte order mark may begin it) or much longer
         *     than any rules file (a line of more than 10,000 characters, more than a million lines
         *     or ten million characters); the message names each wrong line of {@code source}, the
         *     first hundred, and what is wrong with it
         * @throws IOException if reading fails
         */
        public Builder addRules(String source, InputStream rules) throws IOException {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(rules, "rules");
            CharsetDecoder strictUtf8 =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT);
            added.add(RuleReader.read(source, new InputStreamReader(rules, strictUtf8)));
            return this;
        }

        /**
         * Leaves out the built-in user agent and address rules; their thresholds still apply unless
         * added rules set others. For a host that ships a complete list of its own.
         */
        public Builder withoutBuiltInRules() {
            this.builtInRules = false;
            return this;
        }

        /** Builds the classifier. */
        public EventClassifier build() {
            List<ClassifierRule> rules = new ArrayList<>();
            Thresholds thresholds = Thresholds.OFF.with(BuiltIn.RULES.thresholds());
            for (int i = added.size() - 1; i >= 0; i--) {
                rules.addAll(added.get(i).rules());
            }
            for (ClassifierRules source : added) {
                thresholds = thresholds.with(source.thresholds());
            }
            if (builtInRules) {
                rules.addAll(BuiltIn.RULES.rules());
            }
            log.debug("Classifier built with {} rules and {}", rules.size(), thresholds);
            return new EventClassifier(rules, thresholds);
        }
    }

    /** The built-in rules, read once, when first needed. */
    private static final class BuiltIn {

        static final ClassifierRules RULES = read();
        static final EventClassifier DEFAULTS = new Builder().build();

        private static ClassifierRules read() {
            try (InputStream in = EventClassifier.class.getResourceAsStream(BUILT_IN_RULES)) {
                if (in == null) {
                    throw new IllegalStateException(
                            BUILT_IN_RULES + " is missing beside " + EventClassifier.class);
                }
                return RuleReader.read(
                        BUILT_IN_RULES, new InputStreamReader(in, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + BUILT_IN_RULES, e);
            }
        }
    }
}
