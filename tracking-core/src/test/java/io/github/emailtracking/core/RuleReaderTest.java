package io.github.emailtracking.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.emailtracking.api.Classification;
import io.github.emailtracking.api.Verdict;
import io.github.emailtracking.core.Thresholds.Threshold;
import io.github.emailtracking.core.UserAgentMatch.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleReaderTest {

    @Test
    void read_agentRuleWithOptions_readsEveryPart() throws IOException {
        ClassifierRules rules =
                read(
                        "agent proxy apple-privacy-proxy on=open machine-within=1h equals"
                                + " Mozilla/5.0");

        ClassifierRule rule = rules.rules().get(0);
        assertThat(rule.userAgent().kind()).isEqualTo(Kind.EQUALS);
        assertThat(rule.userAgent().text()).isEqualTo("mozilla/5.0");
        assertThat(rule.addresses()).isNull();
        assertThat(rule.on()).isEqualTo(EventKind.OPEN);
        assertThat(rule.result()).isEqualTo(Classification.proxy("apple-privacy-proxy"));
        assertThat(rule.machineWithinMillis()).isEqualTo(3_600_000);
    }

    @Test
    void read_agentText_isTheRestOfTheLineWithItsSpaces() throws IOException {
        ClassifierRules rules =
                read("  agent   machine  bot-agent   contains   Some Link   Checker/2.0  ");

        ClassifierRule rule = rules.rules().get(0);
        assertThat(rule.userAgent().text()).isEqualTo("some link   checker/2.0");
        assertThat(rule.on()).isNull();
        assertThat(rule.machineWithinMillis()).isZero();
    }

    @Test
    void read_addressRules_readBothFamilies() throws IOException {
        ClassifierRules rules =
                read(
                        "address machine security-gateway on=click 40.92.0.0/15\n"
                                + "address machine security-gateway 2a01:111:f400::/48");

        assertThat(rules.rules())
                .extracting(ClassifierRule::addresses)
                .containsExactly(Cidr.parse("40.92.0.0/15"), Cidr.parse("2a01:111:f400::/48"));
        assertThat(rules.rules().get(0).on()).isEqualTo(EventKind.CLICK);
        assertThat(rules.rules().get(0).userAgent()).isNull();
    }

    @Test
    void read_thresholds_readDurationsAndCounts() throws IOException {
        ClassifierRules rules =
                read(
                        "threshold too-fast-open 2s\n"
                                + "threshold too-fast-click 1m\n"
                                + "threshold follow-up-gap 500ms\n"
                                + "threshold link-burst-window 5s\n"
                                + "threshold link-burst-count 3");

        assertThat(rules.thresholds())
                .isEqualTo(
                        Map.of(
                                Threshold.TOO_FAST_OPEN, 2_000L,
                                Threshold.TOO_FAST_CLICK, 60_000L,
                                Threshold.FOLLOW_UP_GAP, 500L,
                                Threshold.LINK_BURST_WINDOW, 5_000L,
                                Threshold.LINK_BURST_COUNT, 3L));
        assertThat(Thresholds.OFF.with(rules.thresholds()))
                .isEqualTo(new Thresholds(2_000, 60_000, 500, 5_000, 3));
    }

    @Test
    void read_commentsAndBlankLines_areSkipped() throws IOException {
        ClassifierRules rules =
                read("# the office\n\n   \n   # indented comment\naddress human office 10.0.0.0/8");

        assertThat(rules.rules()).hasSize(1);
        assertThat(rules.rules().get(0).result())
                .isEqualTo(new Classification(Verdict.HUMAN, "office"));
    }

    @Test
    void read_rulesKeepTheirWrittenOrder() throws IOException {
        ClassifierRules rules =
                read(
                        "agent machine bot-agent contains curl/\n"
                                + "address machine security-gateway 192.0.2.0/24\n"
                                + "agent proxy gmail-image-proxy contains GoogleImageProxy");

        assertThat(rules.rules())
                .extracting(rule -> rule.result().reason())
                .containsExactly("bot-agent", "security-gateway", "gmail-image-proxy");
    }

    @Test
    void read_everyBadLine_isNamedWithItsNumberInOneMessage() {
        String text =
                "# host rules\n"
                        + "agent mashine bot-agent contains curl/\n"
                        + "agent machine bot-agent contains curl/\n"
                        + "adress machine security-gateway 192.0.2.0/24\n";

        assertThatThrownBy(() -> RuleReader.read("host.rules", new StringReader(text)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "host.rules line 2: 'mashine' is not a verdict; expected human, proxy or"
                                + " machine\n"
                                + "host.rules line 4: 'adress' is not a rule; expected agent,"
                                + " address or threshold");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            textBlock =
                    """
                    agent machine Bot_Agent contains x | 'Bot_Agent' is not a reason
                    agent machine | a reason such as link-scanner is missing
                    agent | a verdict: human, proxy or machine is missing
                    agent machine bot-agent | contains or regex and the user agent text is missing
                    agent machine bot-agent starts x | 'starts' is not a way to match
                    agent machine bot-agent contains | user agent text after 'contains' is missing
                    agent machine bot-agent regex ([a-z | regex '([a-z' does not compile
                    agent machine bot-agent when=x equals x | 'when' is not an option
                    agent machine bot-agent on=hover equals x | on=hover is not an event kind
                    agent machine bot-agent machine-within=1h equals x | is for human or proxy rules
                    agent proxy p machine-within=31d equals x | must be at most 30 days, not 31d
                    agent proxy p machine-within=soon equals x | 'soon' is not a duration
                    address machine gw 192.0.2.1/24 | has bits set past its /24 prefix
                    address machine gw mx.example.com | is not an IPv4 or IPv6 address
                    address machine gw 192.0.2.0/24 extra | unexpected 'extra' after the range
                    address machine gw | an address range such as 192.0.2.0/24 is missing
                    threshold too-slow 2s | 'too-slow' is not a threshold
                    threshold too-fast-open | a value for too-fast-open is missing
                    threshold too-fast-open 2 s | '2' is not a duration
                    threshold too-fast-click 2s 3s | unexpected '3s' after the value
                    threshold link-burst-count 1 | must be 0 (off) or from 2 to 16, not 1
                    threshold link-burst-count 17 | must be 0 (off) or from 2 to 16, not 17
                    threshold link-burst-count many | 'many' is not a whole number
                    threshold link-burst-window 3m | must be at most 2 minutes, not 3m
                    threshold follow-up-gap 121s | follow-up-gap must be at most 2 minutes, not 121s
                    threshold too-fast-click 2d | too-fast-click must be at most 1 day, not 2d
                    agent machine both on=open on=click contains x | 'on' is given twice
                    """)
    void read_malformedLine_isRefusedSayingWhy(String line, String problem) {
        assertThatThrownBy(() -> read(line))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("test line 1: ")
                .hasMessageContaining(problem);
    }

    @Test
    void matches_equalsAndContains_ignoreCase() {
        UserAgentMatch equals = UserAgentMatch.of(Kind.EQUALS, "Mozilla/5.0");
        UserAgentMatch contains = UserAgentMatch.of(Kind.CONTAINS, "GoogleImageProxy");

        assertThat(equals.matches("MOZILLA/5.0", "mozilla/5.0")).isTrue();
        assertThat(equals.matches("Mozilla/5.0 (X11)", "mozilla/5.0 (x11)")).isFalse();
        assertThat(
                        contains.matches(
                                "x (via ggpht.com GoogleImageProxy)",
                                "x (via ggpht.com googleimageproxy)"))
                .isTrue();
    }

    @Test
    void matches_regex_isFoundAnywhereAndKeepsItsCase() {
        UserAgentMatch regex = UserAgentMatch.of(Kind.REGEX, "^[Ww]get/\\d");

        assertThat(regex.matches("Wget/1.21.4", "wget/1.21.4")).isTrue();
        assertThat(regex.matches("WGET/1.21.4", "wget/1.21.4")).isFalse();
        assertThat(regex.matches("x Wget/1", "x wget/1")).isFalse();
    }

    @Test
    void judge_withinMachineWindow_isAMachineWithTheSameReason() {
        ClassifierRule rule =
                new ClassifierRule(
                        UserAgentMatch.of(Kind.EQUALS, "Mozilla/5.0"),
                        null,
                        EventKind.OPEN,
                        Classification.proxy("apple-privacy-proxy"),
                        60_000);

        assertThat(rule.judge(59_999)).isEqualTo(Classification.machine("apple-privacy-proxy"));
        assertThat(rule.judge(60_000)).isEqualTo(Classification.proxy("apple-privacy-proxy"));
        assertThat(rule.judge(Long.MAX_VALUE))
                .isEqualTo(Classification.proxy("apple-privacy-proxy"));
        assertThat(rule.judges(EventKind.OPEN)).isTrue();
        assertThat(rule.judges(EventKind.CLICK)).isFalse();
    }

    @Test
    void read_thresholdSetTwice_isRefusedNamingTheLine() {
        assertThatThrownBy(() -> read("threshold too-fast-click 2s\nthreshold too-fast-click 3s\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("test line 2: threshold too-fast-click is set twice in this file");
    }

    @Test
    void read_byteOrderMarkAndWindowsOrOldMacLineEnds_areReadAsAnEditorWroteThem()
            throws IOException {
        ClassifierRules rules =
                read(
                        "\uFEFFagent machine a contains x\r\nagent machine b contains y\rthreshold"
                                + " too-fast-click 3s");

        assertThat(rules.rules()).hasSize(2);
        assertThat(rules.thresholds()).hasSize(1);
    }

    @Test
    void addRules_ofBytesThatAreNotUtf8_isRefusedSayingSo() {
        byte[] text = {'#', '\n', 'a', 'g', 'e', 'n', 't', ' ', (byte) 0xFF, (byte) 0xFE, '\n'};

        assertThatThrownBy(
                        () ->
                                EventClassifier.builder()
                                        .addRules("r.txt", new ByteArrayInputStream(text)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("r.txt is not UTF-8 text; rules files are written in UTF-8");
    }

    @Test
    void read_manyWrongLines_namesTheFirstHundredAndCountsTheRest() {
        String text = "not a rule\n".repeat(150);

        assertThatThrownBy(() -> read(text))
                .hasMessageContaining("test line 100: 'not' is not a rule")
                .hasMessageNotContaining("test line 101:")
                .hasMessageEndingWith("test: and 50 more lines that are not rules");
    }

    @Test
    void read_fileOfLongLinesPastTenMillionCharacters_isRefused() {
        String line = "# " + "x".repeat(9_000) + "\n";

        assertThatThrownBy(() -> read(line.repeat(1_200)))
                .hasMessage("test is longer than 10000000 characters; is it a rules file?");
    }

    @Test
    void read_endlessLineOrEndlessFile_isRefusedBeforeItIsHeld() {
        Reader endlessLine = endless('x');
        Reader endlessLines = endless('\n');

        assertThatThrownBy(() -> RuleReader.read("zero", endlessLine))
                .hasMessage("zero line 1 is longer than 10000 characters; is it a rules file?");
        assertThatThrownBy(() -> RuleReader.read("yes", endlessLines))
                .hasMessage("yes has more than 1000000 lines; is it a rules file?");
    }

    /** Returns text of one character, written again and again without end. */
    private static Reader endless(char character) {
        return new Reader() {
            @Override
            public int read(char[] buffer, int offset, int length) {
                Arrays.fill(buffer, offset, offset + length, character);
                return length;
            }

            @Override
            public void close() {}
        };
    }

    private static ClassifierRules read(String text) throws IOException {
        return RuleReader.read("test", new StringReader(text));
    }
}
