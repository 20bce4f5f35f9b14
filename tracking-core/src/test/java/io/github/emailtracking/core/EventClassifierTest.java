package io.github.emailtracking.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.emailtracking.api.Classification;
import io.github.emailtracking.api.Verdict;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventClassifierTest {

    private static final Instant SENT = Instant.parse("2026-03-02T09:00:00Z");
    private static final Duration LATER = Duration.ofHours(3);
    private static final String CHROME =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                    + " Chrome/122.0.0.0 Safari/537.36";
    private static final String GMAIL_PROXY =
            "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com"
                    + " GoogleImageProxy)";
    private static final String YAHOO_PROXY =
            "YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html";
    private static final String APPLE_PROXY = "Mozilla/5.0";
    private static final String HOME = "203.0.113.25";

    private final EventClassifier classifier = EventClassifier.defaults();

    @Test
    void classify_browserClickLongAfterSending_isAPlainHuman() {
        Classification result = classifier.classify(click(LATER).build());

        assertThat(result).isEqualTo(Classification.HUMAN);
        assertThat(result.reason()).isNull();
    }

    @Test
    void classify_mailClientOpen_isAPlainHuman() {
        String outlook =
                "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)";

        assertThat(classifier.classify(open(LATER).userAgent(outlook).build()))
                .isEqualTo(Classification.HUMAN);
    }

    @Test
    void classify_head_isAHeadRequestWhoeverSendsIt() {
        EventContext head = click(LATER).method("HEAD").build();
        EventContext proxyHead = open(LATER).method("head").userAgent(GMAIL_PROXY).build();

        assertThat(classifier.classify(head)).isEqualTo(Classification.machine("head-request"));
        assertThat(classifier.classify(proxyHead))
                .isEqualTo(Classification.machine("head-request"));
    }

    @ParameterizedTest
    @CsvSource({
        "Sec-Purpose, prefetch",
        "Sec-Purpose, prefetch;prerender",
        "Sec-Purpose, prefetch;anonymous-client-ip",
        "Purpose, prefetch",
        "X-Moz, prefetch",
        "X-Purpose, preview",
        "x-purpose, Preview"
    })
    void classify_speculativeFetch_isAPrefetch(String header, String value) {
        EventContext prefetch = click(LATER).header(header, value).build();

        assertThat(classifier.classify(prefetch)).isEqualTo(Classification.machine("prefetch"));
    }

    @Test
    void classify_otherPurposeHeaderValues_areIgnored() {
        EventContext event = click(LATER).header("Purpose", "navigate").build();

        assertThat(classifier.classify(event)).isEqualTo(Classification.HUMAN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void classify_blankUserAgent_isABot(String userAgent) {
        EventContext event = click(LATER).userAgent(userAgent).build();

        assertThat(classifier.classify(event)).isEqualTo(Classification.machine("bot-agent"));
    }

    @Test
    void classify_noUserAgent_isABot() {
        EventContext event = click(LATER).userAgent(null).build();

        assertThat(classifier.classify(event)).isEqualTo(Classification.machine("bot-agent"));
    }

    @Test
    void classify_fromHeader_isABotEvenWithABrowserAgent() {
        EventContext event = click(LATER).header("From", "crawler@example.org").build();

        assertThat(classifier.classify(event)).isEqualTo(Classification.machine("bot-agent"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "curl/8.5.0",
                "Wget/1.21.4",
                "python-requests/2.31.0",
                "Python-urllib/3.11",
                "Go-http-client/1.1",
                "Apache-HttpClient/4.5.14 (Java/17.0.9)",
                "Java/17.0.9",
                "axios/1.6.7",
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
                        + " HeadlessChrome/122.0.6261.57 Safari/537.36",
                "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
                "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
                "WhatsApp/2.23.20.0 A"
            })
    void classify_programThatNamesItself_isABot(String userAgent) {
        EventContext event = click(LATER).userAgent(userAgent).build();

        assertThat(classifier.classify(event)).isEqualTo(Classification.machine("bot-agent"));
    }

    @Test
    void classify_gmailProxyOpen_isAPersonBehindAProxy() {
        EventContext open = open(LATER).userAgent(GMAIL_PROXY).ipAddress("66.249.84.17").build();

        assertThat(classifier.classify(open)).isEqualTo(Classification.proxy("gmail-image-proxy"));
    }

    @Test
    void classify_gmailProxyFollowingAClickLink_isAMachine() {
        EventContext click = click(LATER).userAgent(GMAIL_PROXY).build();

        assertThat(classifier.classify(click))
                .isEqualTo(Classification.machine("gmail-image-proxy"));
    }

    @Test
    void classify_yahooProxy_isAProxyForOpensAndAMachineForClicks() {
        assertThat(classifier.classify(open(LATER).userAgent(YAHOO_PROXY).build()))
                .isEqualTo(Classification.proxy("yahoo-image-proxy"));
        assertThat(classifier.classify(click(LATER).userAgent(YAHOO_PROXY).build()))
                .isEqualTo(Classification.machine("yahoo-image-proxy"));
    }

    @Test
    void classify_appleProxyFetchWithinTheHour_isThePrefetch() {
        EventContext prefetch = open(Duration.ofMinutes(59)).userAgent(APPLE_PROXY).build();

        assertThat(classifier.classify(prefetch))
                .isEqualTo(Classification.machine("apple-privacy-proxy"));
    }

    @Test
    void classify_appleProxyFetchAfterTheHour_isAPersonBehindAProxy() {
        EventContext later = open(Duration.ofMinutes(61)).userAgent(APPLE_PROXY).build();

        assertThat(classifier.classify(later))
                .isEqualTo(Classification.proxy("apple-privacy-proxy"));
    }

    @Test
    void classify_appleProxyFetchOfUnknownSendingTime_isAPersonBehindAProxy() {
        EventContext fetch =
                EventContext.builder(EventKind.OPEN, SENT).userAgent(APPLE_PROXY).build();

        assertThat(classifier.classify(fetch))
                .isEqualTo(Classification.proxy("apple-privacy-proxy"));
    }

    @Test
    void classify_macMailWithoutPrivacyProtection_isAPlainHuman() {
        String appleMail =
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML,"
                        + " like Gecko)";

        assertThat(classifier.classify(open(Duration.ofMinutes(5)).userAgent(appleMail).build()))
                .isEqualTo(Classification.HUMAN);
    }

    @ParameterizedTest
    @CsvSource({
        "40.92.0.0, CLICK",
        "40.93.255.255, OPEN",
        "104.47.18.3, CLICK",
        "52.101.4.9, OPEN",
        "2a01:111:f400:fe1e::1, CLICK",
        "2a01:111:f403:c201::12, OPEN",
        "67.231.153.30, CLICK",
        "148.163.158.5, OPEN",
        "205.139.110.61, CLICK",
        "209.222.82.14, CLICK"
    })
    void classify_gatewayAddressWithABrowserAgent_isASecurityGateway(
            String address, EventKind kind) {
        EventContext event = event(kind, LATER).ipAddress(address).build();

        assertThat(classifier.classify(event))
                .isEqualTo(Classification.machine("security-gateway"));
    }

    @Test
    void classify_addressJustOutsideAGatewayRange_isAPlainHuman() {
        EventContext event = click(LATER).ipAddress("40.91.255.255").build();

        assertThat(classifier.classify(event)).isEqualTo(Classification.HUMAN);
    }

    @Test
    void classify_clickOnlyRange_leavesOpensAlone() {
        assertThat(classifier.classify(click(LATER).ipAddress("40.94.29.84").build()))
                .isEqualTo(Classification.machine("security-gateway"));
        assertThat(classifier.classify(open(LATER).ipAddress("40.94.29.84").build()))
                .isEqualTo(Classification.HUMAN);
    }

    @Test
    void classify_gatewayNamingItself_isASecurityGateway() {
        EventContext event = click(LATER).userAgent("Mozilla/5.0 (Proofpoint URL Defense)").build();

        assertThat(classifier.classify(event))
                .isEqualTo(Classification.machine("security-gateway"));
    }

    @Test
    void classify_openWithinTwoSecondsOfSending_isTooFast() {
        assertThat(classifier.classify(open(Duration.ofMillis(1_999)).build()))
                .isEqualTo(Classification.machine("too-fast"));
        assertThat(classifier.classify(open(Duration.ofSeconds(2)).build()))
                .isEqualTo(Classification.HUMAN);
    }

    @Test
    void classify_clickWithinFiveSecondsOfSending_isALinkScanner() {
        assertThat(classifier.classify(click(Duration.ofMillis(4_999)).build()))
                .isEqualTo(Classification.machine("link-scanner"));
        assertThat(classifier.classify(click(Duration.ofSeconds(5)).build()))
                .isEqualTo(Classification.HUMAN);
    }

    @Test
    void classify_clickBeforeTheSendingTime_isALinkScanner() {
        assertThat(classifier.classify(click(Duration.ofSeconds(-30)).build()))
                .isEqualTo(Classification.machine("link-scanner"));
    }

    @Test
    void classify_clickHalfASecondAfterThePixel_isALinkScanner() {
        Instant clicked = SENT.plus(LATER);
        EventContext quick = click(LATER).previousOtherEventAt(clicked.minusMillis(499)).build();
        EventContext reading = click(LATER).previousOtherEventAt(clicked.minusMillis(500)).build();

        assertThat(classifier.classify(quick)).isEqualTo(Classification.machine("link-scanner"));
        assertThat(classifier.classify(reading)).isEqualTo(Classification.HUMAN);
    }

    @Test
    void classify_openJustAfterAClick_isTooFast() {
        Instant opened = SENT.plus(LATER);
        EventContext open = open(LATER).previousOtherEventAt(opened.plusMillis(20)).build();

        assertThat(classifier.classify(open)).isEqualTo(Classification.machine("too-fast"));
    }

    @Test
    void classify_thirdDistinctLinkWithinTheBurstWindow_isALinkScanner() {
        assertThat(classifier.classify(click(LATER).recentDistinctLinks(2).build()))
                .isEqualTo(Classification.HUMAN);
        assertThat(classifier.classify(click(LATER).recentDistinctLinks(3).build()))
                .isEqualTo(Classification.machine("link-scanner"));
    }

    @Test
    void classify_burstCount_isForClicksOnly() {
        EventContext open = open(LATER).recentDistinctLinks(5).build();

        assertThat(classifier.classify(open)).isEqualTo(Classification.HUMAN);
    }

    @Test
    void classify_proxyFetchTooSoonAfterSending_isAMachine() {
        EventContext open = open(Duration.ofSeconds(1)).userAgent(GMAIL_PROXY).build();

        assertThat(classifier.classify(open)).isEqualTo(Classification.machine("too-fast"));
    }

    @Test
    void classify_nothingButKindAndTime_isAPlainHuman() {
        EventContext bare = EventContext.builder(EventKind.CLICK, SENT).userAgent(CHROME).build();

        assertThat(classifier.classify(bare)).isEqualTo(Classification.HUMAN);
    }

    @Test
    void classify_oddAddress_isIgnored() {
        EventContext event = click(LATER).ipAddress("unknown").build();

        assertThat(classifier.classify(event)).isEqualTo(Classification.HUMAN);
    }

    @Test
    void classify_null_isRefused() {
        assertThatThrownBy(() -> classifier.classify(null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void addRules_hostRange_overridesABuiltInRange() throws IOException {
        EventClassifier withOffice =
                EventClassifier.builder()
                        .addRules("office.rules", rules("address human office 40.92.7.0/24"))
                        .build();

        EventContext event = click(LATER).ipAddress("40.92.7.80").build();
        assertThat(withOffice.classify(event))
                .isEqualTo(new Classification(Verdict.HUMAN, "office"));
        assertThat(withOffice.classify(click(LATER).ipAddress("40.92.8.80").build()))
                .isEqualTo(Classification.machine("security-gateway"));
    }

    @Test
    void addRules_hostAgentRule_beatsABuiltInAddressRule() throws IOException {
        EventClassifier classifier =
                EventClassifier.builder()
                        .addRules("host", rules("agent proxy partner-proxy contains PartnerProxy/"))
                        .build();

        EventContext event =
                click(LATER).userAgent("PartnerProxy/2.0").ipAddress("40.92.0.1").build();
        assertThat(classifier.classify(event)).isEqualTo(Classification.proxy("partner-proxy"));
    }

    @Test
    void addRules_newRule_addsToTheBuiltInOnes() throws IOException {
        EventClassifier classifier =
                EventClassifier.builder()
                        .addRules("host", rules("agent machine link-checker regex ^LinkCheck/\\d+"))
                        .build();

        assertThat(classifier.classify(click(LATER).userAgent("LinkCheck/3").build()))
                .isEqualTo(Classification.machine("link-checker"));
        assertThat(classifier.classify(click(LATER).userAgent("curl/8.5.0").build()))
                .isEqualTo(Classification.machine("bot-agent"));
    }

    @Test
    void addRules_hostHumanRange_stillGetsTheTimingRules() throws IOException {
        EventClassifier classifier =
                EventClassifier.builder()
                        .addRules("office", rules("address human office 198.51.100.0/24"))
                        .build();

        EventContext burst = click(LATER).ipAddress("198.51.100.4").recentDistinctLinks(3).build();
        assertThat(classifier.classify(burst)).isEqualTo(Classification.machine("link-scanner"));
    }

    @Test
    void addRules_laterSource_winsOverAnEarlierOne() throws IOException {
        EventClassifier classifier =
                EventClassifier.builder()
                        .addRules(
                                "first",
                                rules(
                                        "address machine first 198.51.100.0/24\n"
                                                + "threshold too-fast-click 10s"))
                        .addRules(
                                "second",
                                rules(
                                        "address proxy second 198.51.100.0/24\n"
                                                + "threshold too-fast-click 20s"))
                        .build();

        assertThat(classifier.classify(click(LATER).ipAddress("198.51.100.9").build()))
                .isEqualTo(Classification.proxy("second"));
        assertThat(classifier.thresholds().tooFastClickMillis()).isEqualTo(20_000);
    }

    @Test
    void addRules_threshold_replacesTheBuiltInOneOnly() throws IOException {
        EventClassifier classifier =
                EventClassifier.builder()
                        .addRules("host", rules("threshold too-fast-click 30s"))
                        .build();

        assertThat(classifier.classify(click(Duration.ofSeconds(20)).build()))
                .isEqualTo(Classification.machine("link-scanner"));
        assertThat(classifier.thresholds()).isEqualTo(new Thresholds(2_000, 30_000, 500, 5_000, 3));
    }

    @Test
    void addRules_zeroThreshold_turnsTheRuleOff() throws IOException {
        EventClassifier classifier =
                EventClassifier.builder()
                        .addRules(
                                "host",
                                rules("threshold too-fast-click 0s\nthreshold link-burst-count 0"))
                        .build();

        assertThat(classifier.classify(click(Duration.ofSeconds(-1)).build()))
                .isEqualTo(Classification.HUMAN);
        assertThat(classifier.classify(click(LATER).recentDistinctLinks(9).build()))
                .isEqualTo(Classification.HUMAN);
    }

    @Test
    void withoutBuiltInRules_dropsTheRulesButKeepsTheThresholds() throws IOException {
        EventClassifier classifier =
                EventClassifier.builder()
                        .withoutBuiltInRules()
                        .addRules("host", rules("agent machine link-checker contains LinkCheck"))
                        .build();

        assertThat(classifier.classify(click(LATER).userAgent("curl/8.5.0").build()))
                .isEqualTo(Classification.HUMAN);
        assertThat(classifier.classify(click(LATER).userAgent("LinkCheck").build()))
                .isEqualTo(Classification.machine("link-checker"));
        assertThat(classifier.thresholds()).isEqualTo(EventClassifier.defaults().thresholds());
    }

    @Test
    void addRules_malformedRules_failNamingTheSourceAndLine() {
        InputStream bad = rules("# ours\naddress machine gateway 192.0.2.0/33\n");

        assertThatThrownBy(() -> EventClassifier.builder().addRules("ours.rules", bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ours.rules line 2: '/33' is not a prefix length from 0 to 32");
    }

    @Test
    void defaults_areOneSharedInstanceWithTheBuiltInThresholds() {
        assertThat(EventClassifier.defaults()).isSameAs(classifier);
        assertThat(classifier.thresholds()).isEqualTo(new Thresholds(2_000, 5_000, 500, 5_000, 3));
        assertThat(classifier.linkBurstWindow()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void context_longUserAgent_isCutLikeClientInfo() {
        EventContext event = click(LATER).userAgent("a".repeat(2_000)).build();

        assertThat(event.userAgent()).hasSize(ClientInfo.MAX_USER_AGENT_LENGTH);
    }

    @Test
    void context_headersOfAnyCase_areKeptAndOthersIgnored() {
        EventContext event =
                click(LATER)
                        .header("SEC-PURPOSE", "prefetch")
                        .header("x-moz", "prefetch")
                        .header("Accept", "text/html")
                        .client(new ClientInfo("192.0.2.1", "Agent/1"))
                        .build();

        assertThat(event.secPurpose()).isEqualTo("prefetch");
        assertThat(event.xMoz()).isEqualTo("prefetch");
        assertThat(event.ipAddress()).isEqualTo("192.0.2.1");
        assertThat(event.userAgent()).isEqualTo("Agent/1");
    }

    @Test
    void context_negativeLinkCount_isRefused() {
        assertThatThrownBy(() -> click(LATER).recentDistinctLinks(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("recentDistinctLinks must not be negative, not -1");
    }

    private static EventContext.Builder open(Duration afterSending) {
        return event(EventKind.OPEN, afterSending);
    }

    private static EventContext.Builder click(Duration afterSending) {
        return event(EventKind.CLICK, afterSending);
    }

    private static EventContext.Builder event(EventKind kind, Duration afterSending) {
        return EventContext.builder(kind, SENT.plus(afterSending))
                .method("GET")
                .userAgent(CHROME)
                .ipAddress(HOME)
                .sentAt(SENT);
    }

    private static InputStream rules(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
