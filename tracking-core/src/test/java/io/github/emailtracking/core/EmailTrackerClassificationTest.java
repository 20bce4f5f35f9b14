package io.github.emailtracking.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.emailtracking.api.CampaignTotals;
import io.github.emailtracking.api.Classification;
import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.EmailStatus;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.PersonTotals;
import io.github.emailtracking.api.SettableClock;
import io.github.emailtracking.api.Viewer;
import io.github.emailtracking.api.spi.FaultyStore;
import io.github.emailtracking.api.spi.TrackingStore;
import io.github.emailtracking.storage.memory.MemoryTrackingStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the tracker judges opens and clicks as they arrive, and what it stores and reports. */
class EmailTrackerClassificationTest {

    private static final Instant SENT = Instant.parse("2026-03-02T09:00:00Z");
    private static final String BASE = "https://track.example.com/api/track";
    private static final Viewer ALICE = Viewer.owner("alice");
    private static final List<String> LINKS =
            List.of("https://example.com/a", "https://example.com/b", "https://example.com/c");
    private static final String CHROME =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                    + " Chrome/122.0.0.0 Safari/537.36";
    private static final String GMAIL_PROXY =
            "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com"
                    + " GoogleImageProxy)";
    private static final ClientInfo PERSON = new ClientInfo("203.0.113.25", CHROME);
    private static final byte[] KEY = "k".repeat(32).getBytes(StandardCharsets.UTF_8);
    private static final ClientInfo CLOUD_SCANNER = new ClientInfo("20.1.2.3", CHROME);

    private final SettableClock clock = new SettableClock(SENT);
    private final MemoryTrackingStore store = new MemoryTrackingStore();
    private final EmailTracker tracker = trackerOn(store).build();

    @Test
    void recordOpen_appleProxyAtDelivery_isStoredAsTheMachinePrefetch() {
        RegisteredEmail email = newEmail(tracker);
        clock.advance(Duration.ofSeconds(20));

        tracker.recordOpen(id(email), new ClientInfo("172.225.1.2", "Mozilla/5.0"));

        assertThat(opens(email)).containsExactly(Classification.machine("apple-privacy-proxy"));
    }

    @Test
    void recordOpen_gmailProxyHoursLater_isStoredAsAPersonBehindAProxy() {
        RegisteredEmail email = newEmail(tracker);
        clock.advance(Duration.ofHours(2));

        tracker.recordOpen(id(email), new ClientInfo("66.249.84.17", GMAIL_PROXY));

        assertThat(opens(email)).containsExactly(Classification.proxy("gmail-image-proxy"));
    }

    @Test
    void recordOpen_prefetchHeader_isStoredAsAMachine() {
        RegisteredEmail email = newEmail(tracker);
        clock.advance(Duration.ofHours(2));
        ClientInfo prefetch =
                new ClientInfo("203.0.113.25", CHROME, "GET", Map.of("sec-purpose", "prefetch"));

        tracker.recordOpen(id(email), prefetch);

        assertThat(opens(email)).containsExactly(Classification.machine("prefetch"));
    }

    @Test
    void headRequests_recordNothing() {
        RegisteredEmail email = newEmail(tracker);
        clock.advance(Duration.ofHours(2));
        ClientInfo head = new ClientInfo("203.0.113.25", CHROME, "head", Map.of());

        boolean stored = tracker.recordOpen(id(email), head);
        boolean storedLater = tracker.recordOpenAsync(id(email), head).toCompletableFuture().join();
        String location = tracker.recordClick(id(email), LINKS.get(0), null, head);

        assertThat(stored).isFalse();
        assertThat(storedLater).isFalse();
        assertThat(location).isEqualTo(LINKS.get(0));
        assertThat(opens(email)).isEmpty();
        assertThat(clicks(email)).isEmpty();
    }

    @Test
    void recordOpen_soonAfterSending_isTooFast() {
        RegisteredEmail email = newEmail(tracker);
        clock.advance(Duration.ofSeconds(1));

        tracker.recordOpen(id(email), PERSON);

        assertThat(opens(email)).containsExactly(Classification.machine("too-fast"));
    }

    @Test
    void recordClick_everyLinkWithinSeconds_isSeenAsABurstAndALaterClickAsAPerson() {
        RegisteredEmail email = newEmail(tracker);
        clock.advance(Duration.ofMinutes(10));

        clickEveryLink(email, CLOUD_SCANNER, Duration.ofSeconds(1));
        clock.advance(Duration.ofMinutes(30));
        tracker.recordClick(id(email), LINKS.get(1), null, PERSON);

        assertThat(clicks(email))
                .containsExactly(
                        Classification.HUMAN,
                        Classification.HUMAN,
                        Classification.machine("link-scanner"),
                        Classification.HUMAN);
    }

    @Test
    void recordClick_linksMillisecondsApart_areFollowUpsOfTheFirst() {
        RegisteredEmail email = newEmail(tracker);
        clock.advance(Duration.ofMinutes(10));

        clickEveryLink(email, CLOUD_SCANNER, Duration.ofMillis(80));

        assertThat(clicks(email))
                .containsExactly(
                        Classification.HUMAN,
                        Classification.machine("link-scanner"),
                        Classification.machine("link-scanner"));
    }

    @Test
    void recordClick_signedLink_isJudgedLikeAnUnsignedOne() {
        RegisteredEmail email = newEmail(tracker);
        clock.advance(Duration.ofSeconds(2));

        tracker.recordClick(id(email), LINKS.get(0), signatureOf(email, LINKS.get(0)), PERSON);

        assertThat(clicks(email)).containsExactly(Classification.machine("link-scanner"));
    }

    @Test
    void campaignReport_scannerAndPerson_keepsRawFiguresAndCountsThePersonApart() {
        RegisteredEmail scanned = newEmail(tracker);
        clock.advance(Duration.ofSeconds(3));
        tracker.recordOpen(id(scanned), new ClientInfo("40.92.1.2", CHROME));
        clickEveryLink(scanned, new ClientInfo("40.92.1.2", CHROME), Duration.ofMillis(100));
        clock.advance(Duration.ofMinutes(57));
        Duration personDelay = Duration.between(SENT, clock.instant());

        tracker.recordClick(id(scanned), LINKS.get(2), null, PERSON);

        CampaignTotals totals = report(scanned);
        assertThat(totals.openCount()).isEqualTo(1);
        assertThat(totals.clickCount()).isEqualTo(4);
        assertThat(totals.openedCount()).isEqualTo(1);
        assertThat(totals.clickedCount()).isEqualTo(1);
        assertThat(totals.machineOpens()).isEqualTo(1);
        assertThat(totals.machineClicks()).isEqualTo(3);
        assertThat(totals.person()).isEqualTo(new PersonTotals(1, 1, personDelay, personDelay));
    }

    @Test
    void campaignReport_onlyMachineClicks_impliesNoPersonOpen() {
        RegisteredEmail scanned = newEmail(tracker);
        clock.advance(Duration.ofSeconds(3));

        clickEveryLink(scanned, new ClientInfo("40.92.1.2", CHROME), Duration.ofMillis(100));

        assertThat(report(scanned).person()).isEqualTo(PersonTotals.NONE);
    }

    @Test
    void classifier_hostRules_judgeByTheFullAddressWhateverIsKept() throws IOException {
        EventClassifier withPartner =
                EventClassifier.builder()
                        .addRules("partner.rules", rules("address machine partner 198.51.100.77"))
                        .build();
        EmailTracker truncating =
                trackerOn(store)
                        .classifier(withPartner)
                        .ipAddressPolicy(IpAddressPolicy.TRUNCATED)
                        .build();
        RegisteredEmail email = newEmail(truncating);
        clock.advance(Duration.ofHours(1));

        truncating.recordOpen(id(email), new ClientInfo("198.51.100.77", CHROME));
        truncating.recordOpen(id(email), new ClientInfo("198.51.100.78", CHROME));

        List<OpenEvent> opens = status(email).opens();
        assertThat(opens)
                .extracting(OpenEvent::classification)
                .containsExactly(Classification.machine("partner"), Classification.HUMAN);
        assertThat(opens).extracting(OpenEvent::ipAddress).containsOnly("198.51.100.0");
    }

    @Test
    void classifier_null_isRefused() {
        assertThatThrownBy(() -> EmailTracker.builder().classifier(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("classifier");
    }

    @Test
    void recordOpen_emailRegisteredByThisTracker_needsNoStoreRead() {
        FaultyStore faulty = new FaultyStore(store);
        EmailTracker onFaulty = trackerOn(faulty).build();
        RegisteredEmail email = newEmail(onFaulty);
        clock.advance(Duration.ofHours(1));
        faulty.failReads(true);

        boolean stored = onFaulty.recordOpen(id(email), PERSON);

        assertThat(stored).isTrue();
        assertThat(onFaulty.droppedEventCount()).isZero();
    }

    @Test
    void recordOpen_storeFailingToReadAnUnseenEmail_dropsTheEventWithoutFailing() {
        RegisteredEmail email = newEmail(tracker);
        FaultyStore faulty = new FaultyStore(store);
        EmailTracker otherNode = trackerOn(faulty).build();
        faulty.failReads(true);

        boolean stored = otherNode.recordOpen(id(email), PERSON);

        assertThat(stored).isFalse();
        assertThat(otherNode.droppedEventCount()).isEqualTo(1);
    }

    @Test
    void recordClick_signedWhileTheStoreCannotRead_redirectsAndDrops() {
        RegisteredEmail email = newEmail(tracker);
        FaultyStore faulty = new FaultyStore(store);
        EmailTracker otherNode = trackerOn(faulty).build();
        String signature = signatureOf(email, LINKS.get(0));
        faulty.failReads(true);

        String location = otherNode.recordClick(id(email), LINKS.get(0), signature, PERSON);

        assertThat(location).isEqualTo(LINKS.get(0));
        assertThat(otherNode.droppedEventCount()).isEqualTo(1);
    }

    @Test
    void recordOpen_emailLearnedFromTheStore_isReadOnce() {
        RegisteredEmail email = newEmail(tracker);
        FaultyStore faulty = new FaultyStore(store);
        EmailTracker otherNode = trackerOn(faulty).build();
        clock.advance(Duration.ofHours(1));
        otherNode.recordOpen(id(email), PERSON);
        faulty.failReads(true);

        boolean stored = otherNode.recordOpen(id(email), PERSON);

        assertThat(stored).isTrue();
        assertThat(opens(email)).hasSize(2);
    }

    private void clickEveryLink(RegisteredEmail email, ClientInfo client, Duration apart) {
        for (String link : LINKS) {
            tracker.recordClick(id(email), link, null, client);
            clock.advance(apart);
        }
    }

    private List<Classification> opens(RegisteredEmail email) {
        return status(email).opens().stream().map(OpenEvent::classification).toList();
    }

    private List<Classification> clicks(RegisteredEmail email) {
        return status(email).clicks().stream().map(ClickEvent::classification).toList();
    }

    private EmailStatus status(RegisteredEmail email) {
        return tracker.status(ALICE, id(email), Page.NEWEST).orElseThrow();
    }

    private CampaignTotals report(RegisteredEmail email) {
        String campaignId = store.findEmail(email.trackingId()).orElseThrow().campaignId().value();
        return tracker.campaignReport(ALICE, campaignId, ZoneOffset.UTC).orElseThrow().totals();
    }

    /** Registers an email of a new campaign; the clock stands at its sending time. */
    private RegisteredEmail newEmail(EmailTracker on) {
        String campaignId = on.createCampaign("alice", "Spring").id().value();
        return on.registerEmail(ALICE, campaignId, NewEmail.to("a@b.c", LINKS));
    }

    private EmailTracker.Builder trackerOn(TrackingStore on) {
        return EmailTracker.builder()
                .store(on)
                .publicBaseUrl(BASE)
                .clock(clock)
                .idGenerator(new CountingIds())
                .linkSigningKey(KEY);
    }

    private static String id(RegisteredEmail email) {
        return email.trackingId().value();
    }

    private static String signatureOf(RegisteredEmail email, String url) {
        String clickUrl = email.clickUrls().get(url);
        return clickUrl.substring(clickUrl.indexOf("&sig=") + 5);
    }

    private static ByteArrayInputStream rules(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
