package io.github.emailtracking.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.emailtracking.api.AttachmentInfo;
import io.github.emailtracking.api.BounceType;
import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.CampaignId;
import io.github.emailtracking.api.CampaignReport;
import io.github.emailtracking.api.EmailCounters;
import io.github.emailtracking.api.EmailStatus;
import io.github.emailtracking.api.InvalidRequestException;
import io.github.emailtracking.api.NotFoundException;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.PayloadTooLargeException;
import io.github.emailtracking.api.SettableClock;
import io.github.emailtracking.api.StoreException;
import io.github.emailtracking.api.TrackingId;
import io.github.emailtracking.api.Viewer;
import io.github.emailtracking.api.spi.FaultyStore;
import io.github.emailtracking.storage.memory.MemoryTrackingStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailTrackerTest {

    private static final Instant START = Instant.parse("2026-02-10T09:00:00Z");
    private static final String BASE = "https://track.example.com/api/track";
    private static final Viewer ALICE = Viewer.owner("alice");
    private static final String PRODUCT = "https://example.com/product";

    private final SettableClock clock = new SettableClock(START);
    private final MemoryTrackingStore store = new MemoryTrackingStore();
    private final EmailTracker tracker = newTracker(store);

    @Test
    void registerEmail_answersOpenUrlAndSignedClickUrls() {
        Campaign campaign = tracker.createCampaign("alice", "Welcome");

        RegisteredEmail email =
                tracker.registerEmail(
                        ALICE, campaign.id().value(), NewEmail.to("a@b.c", List.of(PRODUCT)));

        assertThat(email.trackingId().value()).isEqualTo("t1");
        assertThat(email.openUrl()).isEqualTo(BASE + "/open/t1");
        assertThat(email.clickUrls().get(PRODUCT))
                .startsWith(BASE + "/click/t1?redirect=https%3A%2F%2Fexample.com%2Fproduct&sig=");
    }

    @Test
    void registerEmail_campaignOfAnotherOwner_isNotFound() {
        Campaign campaign = tracker.createCampaign("bob", "Bob's");

        assertThatThrownBy(
                        () ->
                                tracker.registerEmail(
                                        ALICE,
                                        campaign.id().value(),
                                        NewEmail.to("a@b.c", List.of())))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void registerEmail_byAdmin_isAllowedForAnyCampaign() {
        Campaign campaign = tracker.createCampaign("bob", "Bob's");

        RegisteredEmail email =
                tracker.registerEmail(
                        Viewer.admin("root"),
                        campaign.id().value(),
                        NewEmail.to("a@b.c", List.of()));

        assertThat(store.findEmail(email.trackingId())).isPresent();
    }

    @Test
    void registerEmail_invalidLinkOrRecipient_isRefusedNamingIt() {
        String campaignId = tracker.createCampaign("alice", "Welcome").id().value();

        assertThatThrownBy(
                        () ->
                                tracker.registerEmail(
                                        ALICE,
                                        campaignId,
                                        NewEmail.to("a@b.c", List.of("javascript:alert(1)"))))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("javascript:alert(1)");
        assertThatThrownBy(
                        () ->
                                tracker.registerEmail(
                                        ALICE, campaignId, NewEmail.to("nobody", List.of())))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("recipientEmail");
    }

    @Test
    void registerEmail_linkWhoseHostBrowsersWriteAnotherWay_isRefusedSayingWhy() {
        String campaignId = tracker.createCampaign("alice", "Welcome").id().value();
        NewEmail email = NewEmail.to("a@b.c", List.of("https://stra\u00DFe.de/"));

        assertThatThrownBy(() -> tracker.registerEmail(ALICE, campaignId, email))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("one converted otherwise since in the host")
                .hasMessageEndingWith("\"https://stra\u00DFe.de/\"");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                BASE + "/click/t1?redirect=https%3A%2F%2Fexample.com%2F&sig=s",
                BASE + "/open/t1",
                "HTTPS://TRACK.EXAMPLE.COM/api/track/unsubscribe/t1"
            })
    void registerEmail_linkTheTrackerMadeForAnotherEmail_isRefused(String link) {
        String campaignId = tracker.createCampaign("alice", "Welcome").id().value();
        NewEmail email = NewEmail.to("a@b.c", List.of(PRODUCT, link));

        assertThatThrownBy(() -> tracker.registerEmail(ALICE, campaignId, email))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("links holds the pixel, a click link or the unsubscribe")
                .hasMessageContaining("give the link it leads to, not \"" + link.substring(0, 40));
        assertThat(store.findEmail(new TrackingId("t1"))).isEmpty();
    }

    @Test
    void registerEmail_linkToAnotherPageOfTheTracker_isTracked() {
        String campaignId = tracker.createCampaign("alice", "Welcome").id().value();
        String page = BASE + "/campaign/c1";

        RegisteredEmail email =
                tracker.registerEmail(ALICE, campaignId, NewEmail.to("a@b.c", List.of(page)));

        assertThat(email.clickUrls()).containsOnlyKeys(page);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a@@b.com",
                "a@b@c.com",
                "@b.com",
                "a@",
                "a b@c.com",
                "<a@b.com>",
                "a@b..c",
                "a@.b.c",
                "a@b.c.",
                "a@-b.c",
                "a@b-.c",
                "a@b.c\u00A0",
                "a\u202F@b.c",
                "a\u200B@b.c",
                "a@b\u2060.c",
                "a\u00AD@b.c",
                "a@b.c\u200D",
                "a@b.c\u2063",
                "us\u034Fer@b.c",
                "user\uFE0F@b.c",
                "user\uDB40\uDD00@b.c",
                "us\u180Ber@b.c",
                "user\u3164@b.c",
                "user\u115F@b.c",
                "user\uFFA0@b.c",
                "us\u17B4er@b.c",
                "user\u2800@b.c",
                "a\u1806b@b.c",
                "a@x\u1806.com",
                "user\u0378@b.c",
                "user\uE000@b.c",
                "user\uFFFE@b.c",
                "\u0301user@b.c",
                "user@\u0301b.c",
                "user@b.\u0301c",
                "a@b\u3002\u3002c",
                "a@b\u3002-c",
                "a@b.c\u3002",
                "a@b\uFF0E\uFF61c"
            })
    void registerEmail_recipientThatCannotBeAnAddress_isRefused(String recipient) {
        assertRecipientRefused(
                recipient, "recipientEmail must be an address like name@example.com");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a@b.c",
                "a.b+c@d-e.f",
                "jos\u00E9@b\u00FCcher.de",
                "jose\u0301@b.c",
                "a..b@c.d",
                "a@[1.2.3.4]",
                "\u7528\u6237@\u4F8B\u5B50.\u5E7F\u544A",
                "user@example\u3002com"
            })
    void registerEmail_recipientThatIsAnAddress_isKept(String recipient) {
        String campaignId = tracker.createCampaign("alice", "Welcome").id().value();

        RegisteredEmail registered =
                tracker.registerEmail(ALICE, campaignId, NewEmail.to(recipient, List.of()));

        assertThat(store.findEmail(registered.trackingId()).orElseThrow().recipientEmail())
                .isEqualTo(recipient);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\uFF55ser@b.c",
                "user@\uFF45xample.com",
                "o\uFB01ce@b.c",
                "a\u00B2@b.c",
                "\u2160@b.c",
                "\u210Cello@b.c",
                "user@example\uFF0Ecom"
            })
    void registerEmail_recipientInCompatibilityForms_isRefusedAskingForPlainLetters(
            String recipient) {
        assertRecipientRefused(recipient, "recipientEmail must be written in plain letters");
    }

    @Test
    void registerEmail_recipientWithAnInvisibleCharacter_isRefusedNamingIt() {
        String campaignId = tracker.createCampaign("alice", "Welcome").id().value();
        NewEmail email = NewEmail.to("a\u200B@b.com", List.of());

        assertThatThrownBy(() -> tracker.registerEmail(ALICE, campaignId, email))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage(
                        "recipientEmail must be an address like name@example.com, not"
                                + " \"a?@b.com\" (it holds U+200B, a blank or invisible"
                                + " character)");
    }

    private void assertRecipientRefused(String recipient, String messageStart) {
        String campaignId = tracker.createCampaign("alice", "Welcome").id().value();
        NewEmail email = NewEmail.to(recipient, List.of());

        assertThatThrownBy(() -> tracker.registerEmail(ALICE, campaignId, email))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith(messageStart);
    }

    @Test
    void registerEmail_linksGivenTwice_countOnceTowardTheLimit() {
        EmailTracker twoLinks =
                EmailTracker.builder().store(store).publicBaseUrl(BASE).maxLinksPerEmail(2).build();
        String campaignId = twoLinks.createCampaign("alice", "Welcome").id().value();
        String other = "https://example.com/other";
        List<String> repeated = Collections.nCopies(5, PRODUCT);

        RegisteredEmail registered =
                twoLinks.registerEmail(
                        ALICE, campaignId, NewEmail.to("a@b.c", concat(repeated, List.of(other))));

        assertThat(registered.clickUrls()).containsOnlyKeys(PRODUCT, other);
        List<String> three = concat(repeated, List.of(other, "https://example.com/third"));
        assertThatThrownBy(
                        () ->
                                twoLinks.registerEmail(
                                        ALICE, campaignId, NewEmail.to("a@b.c", three)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("an email may have at most 2 distinct links");
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> both = new ArrayList<>(first);
        both.addAll(second);
        return both;
    }

    @Test
    void registerEmail_refusedLink_isQuotedWithoutDirectionOverrides() {
        String campaignId = tracker.createCampaign("alice", "Welcome").id().value();
        NewEmail email = NewEmail.to("a@b.c", List.of("javascript:\u202Ealert(1)\u0007"));

        assertThatThrownBy(() -> tracker.registerEmail(ALICE, campaignId, email))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageEndingWith("\"javascript:?alert(1)?\"");
    }

    @Test
    void registerEmail_sentAtOutOfRange_isRefusedNamingIt() {
        String campaignId = tracker.createCampaign("alice", "Welcome").id().value();

        for (String sentAt :
                List.of(
                        "+999999999-12-31T23:59:59Z",
                        "-999999999-01-01T00:00:00Z",
                        "1969-12-31T23:59:59Z",
                        "+10000-01-01T00:00:00Z")) {
            NewEmail email = new NewEmail("a@b.c", Instant.parse(sentAt), List.of(), null, null);

            assertThatThrownBy(() -> tracker.registerEmail(ALICE, campaignId, email))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageStartingWith("sentAt must be from 1970-01-01T00:00:00Z to ")
                    .hasMessageEndingWith("not " + Instant.parse(sentAt));
        }
        assertThat(store.findCampaign(new CampaignId(campaignId))).isPresent();
    }

    @Test
    void registerEmail_sentAtAtEitherEndOfTheRange_isKept() {
        String campaignId = tracker.createCampaign("alice", "Welcome").id().value();

        RegisteredEmail first =
                tracker.registerEmail(
                        ALICE,
                        campaignId,
                        new NewEmail("a@b.c", NewEmail.EARLIEST_SENT_AT, List.of(), null, null));
        RegisteredEmail last =
                tracker.registerEmail(
                        ALICE,
                        campaignId,
                        new NewEmail("a@b.c", NewEmail.LATEST_SENT_AT, List.of(), null, null));

        assertThat(store.findEmail(first.trackingId()).orElseThrow().sentAt())
                .isEqualTo(Instant.EPOCH);
        assertThat(store.findEmail(last.trackingId()).orElseThrow().sentAt())
                .isEqualTo(Instant.parse("9999-12-31T23:59:59.999Z"));
    }

    @Test
    void registerEmail_sentAtInTheLastMillisecondOfTheRange_isKeptToTheMillisecond() {
        String campaignId = tracker.createCampaign("alice", "Welcome").id().value();
        Instant sentAt = Instant.parse("9999-12-31T23:59:59.999999999Z");

        RegisteredEmail email =
                tracker.registerEmail(
                        ALICE, campaignId, new NewEmail("a@b.c", sentAt, List.of(), null, null));

        assertThat(store.findEmail(email.trackingId()).orElseThrow().sentAt())
                .isEqualTo(NewEmail.LATEST_SENT_AT);
    }

    @Test
    void registerEmail_linkWhoseClickUrlIsTooLong_isRefusedNamingTheLimit() {
        String campaignId = tracker.createCampaign("alice", "Welcome").id().value();
        String link = "https://example.com/" + "\u00fc".repeat(1400);

        assertThatThrownBy(
                        () ->
                                tracker.registerEmail(
                                        ALICE, campaignId, NewEmail.to("a@b.c", List.of(link))))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("longer than " + EmailTracker.MAX_CLICK_URL_BYTES + " bytes")
                .hasMessageContaining("https://example.com/");
    }

    @Test
    void registerEmail_htmlLinkWhoseClickUrlIsTooLong_isLeftUntracked() {
        String campaignId = tracker.createCampaign("alice", "Welcome").id().value();
        String link = "https://example.com/" + "\u00fc".repeat(1400);
        String html = "<a href=\"" + link + "\">long</a><a href=\"" + PRODUCT + "\">short</a>";

        RegisteredEmail email =
                tracker.registerEmail(ALICE, campaignId, NewEmail.withHtml("a@b.c", html));

        assertThat(email.clickUrls()).containsOnlyKeys(PRODUCT);
        assertThat(email.html()).contains("<a href=\"" + link + "\">long</a>");
        assertThat(store.isLinkRegistered(email.trackingId(), link)).isFalse();
        assertThat(store.isLinkRegistered(email.trackingId(), PRODUCT)).isTrue();
    }

    @Test
    void registerEmail_linkWhoseClickUrlJustFits_isTracked() {
        String campaignId = tracker.createCampaign("alice", "Welcome").id().value();
        String link = "https://example.com/" + "a".repeat(4000);

        RegisteredEmail email =
                tracker.registerEmail(ALICE, campaignId, NewEmail.to("a@b.c", List.of(link)));

        assertThat(email.clickUrls().get(link).length())
                .isLessThanOrEqualTo(EmailTracker.MAX_CLICK_URL_BYTES);
    }

    @Test
    void createCampaign_nameLength_isCountedInCharactersNotUtf16Units() {
        String emoji = "\uD83D\uDCE7";

        Campaign longest = tracker.createCampaign("alice", emoji.repeat(Campaign.MAX_NAME_LENGTH));

        assertThat(longest.name()).isEqualTo(emoji.repeat(200));
        assertThatThrownBy(() -> tracker.createCampaign("alice", emoji.repeat(201)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("campaignName must be at most 200 characters");
    }

    @Test
    void createCampaign_blankName_isRefused() {
        assertThatThrownBy(() -> tracker.createCampaign("alice", "  "))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("campaignName is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u200B", " \u200B\u2060 ", "\u3164", "\u2800"})
    void createCampaign_nameThatShowsNothing_isRefusedSayingSo(String name) {
        assertThatThrownBy(() -> tracker.createCampaign("alice", name))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage(
                        "campaignName shows nothing: it holds only spaces and invisible"
                                + " characters");
    }

    @Test
    void textWithHalfASurrogatePair_isRefusedNamingIt() {
        String id = newEmail().trackingId().value();
        String half = "n\uD800ame";

        assertThatThrownBy(() -> tracker.createCampaign("alice", half))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage(
                        "campaignName holds half of a surrogate pair; text must be valid Unicode");
        assertThatThrownBy(() -> tracker.createCampaign(half, "Welcome"))
                .hasMessageStartingWith("owner holds half");
        assertThatThrownBy(() -> tracker.createCampaign(new Viewer("alice", half, false), "W"))
                .hasMessageStartingWith("tenant holds half");
        assertThatThrownBy(() -> tracker.recordReply(id, "reply \uDC00", 0))
                .hasMessageStartingWith("replyMessage holds half");
        assertThatThrownBy(() -> tracker.recordBounce(id, BounceType.HARD, half))
                .hasMessageStartingWith("reason holds half");
        String campaignId = tracker.createCampaign("alice", "Welcome").id().value();
        NewEmail email = NewEmail.to("r\uDC00@b.c", List.of());
        assertThatThrownBy(() -> tracker.registerEmail(ALICE, campaignId, email))
                .hasMessageStartingWith("recipientEmail holds half");
    }

    @Test
    void textWithWholeSurrogatePairs_isKept() {
        Campaign campaign = tracker.createCampaign("\uD83D\uDE00", "Smile \uD83D\uDE00");

        assertThat(campaign.owner()).isEqualTo("\uD83D\uDE00");
        assertThat(campaign.name()).isEqualTo("Smile \uD83D\uDE00");
    }

    @Test
    void createCampaign_ownerOrTenantWithSpacesAtAnEnd_isRefused() {
        assertThatThrownBy(() -> tracker.createCampaign(" o ", "Welcome"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("owner must not begin or end with white space");
        assertThatThrownBy(() -> tracker.createCampaign(new Viewer("o", "acme ", false), "W"))
                .hasMessage("tenant must not begin or end with white space");
        assertThatThrownBy(() -> tracker.createCampaign(new Viewer("o", " ", false), "W"))
                .hasMessage("tenant is required");
        assertThatThrownBy(() -> tracker.createCampaign("o\u00A0", "Welcome"))
                .hasMessage("owner must not begin or end with white space");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uFEFFo", "o\u2028p", "o\u202Ep", "o\u0085", "o\u061Cp"})
    void createCampaign_ownerOrNameWithInvisibleMarks_isRefused(String text) {
        assertThatThrownBy(() -> tracker.createCampaign(text, "Welcome"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("owner must not contain control characters");
        assertThatThrownBy(() -> tracker.createCampaign("alice", text))
                .hasMessageStartingWith("campaignName must not contain control characters");
    }

    @Test
    void createCampaign_nameWithAJoinedEmoji_isKept() {
        String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 news";

        assertThat(tracker.createCampaign("alice", family).name()).isEqualTo(family);
    }

    @Test
    void campaignReport_offsetNotOfWholeQuarterHours_isRefused() {
        String campaignId = tracker.createCampaign("alice", "Welcome").id().value();

        for (String offset : List.of("+05:07", "+05:30:30", "-00:00:01")) {
            assertThatThrownBy(
                            () -> tracker.campaignReport(ALICE, campaignId, ZoneOffset.of(offset)))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageEndingWith("such as +05:45, not " + offset);
        }
        assertThat(tracker.campaignReport(ALICE, campaignId, ZoneOffset.of("+05:45"))).isPresent();
        assertThat(tracker.campaignReport(ALICE, campaignId, ZoneId.of("Asia/Kolkata")))
                .isPresent();
        assertThatThrownBy(() -> tracker.campaignReport(ALICE, campaignId, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("zone");
    }

    @Test
    void createCampaign_withoutOwner_failsNamingTheOwner() {
        assertThatThrownBy(() -> tracker.createCampaign((String) null, "Launch"))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("owner");
    }

    @Test
    void deleteEventsOlderThan_longerThanTime_deletesNothing() {
        String id = newEmail().trackingId().value();
        tracker.recordOpen(id, new ClientInfo("192.0.2.7", "Mail/1.0"));

        long deleted = tracker.deleteEventsOlderThan(ChronoUnit.FOREVER.getDuration());

        assertThat(deleted).isZero();
        assertThat(tracker.status(ALICE, id, Page.NEWEST).orElseThrow().opens()).hasSize(1);
    }

    @Test
    void recordOpen_knownEmail_isCountedWithClientDetails() {
        String id = newEmail().trackingId().value();

        boolean stored = tracker.recordOpen(id, new ClientInfo("192.0.2.7", "Mail/1.0"));

        EmailStatus status = tracker.status(ALICE, id, Page.NEWEST).orElseThrow();
        assertThat(stored).isTrue();
        assertThat(status.counters().openCount()).isEqualTo(1);
        assertThat(status.opens().get(0).ipAddress()).isEqualTo("192.0.2.7");
        assertThat(status.opens().get(0).userAgent()).isEqualTo("Mail/1.0");
    }

    @Test
    void recordOpen_storeFailingWithAnotherException_dropsTheEventWithoutFailing() {
        FaultyStore broken = new FaultyStore(store);
        EmailTracker onBrokenStore = newTracker(broken);
        String id = newEmail().trackingId().value();
        broken.breakWrites(true);

        boolean stored = onBrokenStore.recordOpen(id, ClientInfo.UNKNOWN);
        boolean storedAsync =
                onBrokenStore.recordOpenAsync(id, ClientInfo.UNKNOWN).toCompletableFuture().join();

        assertThat(stored).isFalse();
        assertThat(storedAsync).isFalse();
        assertThat(onBrokenStore.droppedEventCount()).isEqualTo(2);
    }

    @Test
    void recordOpenAsync_storeThrowingInsteadOfFailingItsStage_dropsTheEventWithoutFailing() {
        FaultyStore full = new FaultyStore(store);
        EmailTracker onFullStore = newTracker(full);
        String id = newEmail().trackingId().value();
        full.throwFromRecordAsync(true);

        boolean stored =
                onFullStore.recordOpenAsync(id, ClientInfo.UNKNOWN).toCompletableFuture().join();

        assertThat(stored).isFalse();
        assertThat(onFullStore.droppedEventCount()).isEqualTo(1);
    }

    @Test
    void recordClick_signed_storeFailingWithAnotherException_stillRedirects() {
        FaultyStore broken = new FaultyStore(store);
        EmailTracker onBrokenStore = newTrackerSharingKey(broken);
        RegisteredEmail email = newEmail();
        broken.breakWrites(true);

        String location =
                onBrokenStore.recordClick(
                        email.trackingId().value(),
                        PRODUCT,
                        signatureOf(email, PRODUCT),
                        ClientInfo.UNKNOWN);

        assertThat(location).isEqualTo(PRODUCT);
        assertThat(onBrokenStore.droppedEventCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"!!! not base64 !!!", "c2hvcnQ="})
    void build_storeKeepingNoKeyWhereTheLinkSigningKeyBelongs_failsSayingSo(String kept) {
        MemoryTrackingStore damaged = new MemoryTrackingStore();
        damaged.setting(LinkKeys.SETTING, () -> kept);

        assertThatThrownBy(() -> EmailTracker.builder().store(damaged).publicBaseUrl(BASE).build())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(
                        "the store's setting link-signing-key holds no link-signing key of at"
                                + " least 32 bytes in base64");
    }

    @Test
    void recordOpen_unknownOrMalformedId_storesNothingAndDoesNotFail() {
        assertThat(tracker.recordOpen("unknown", ClientInfo.UNKNOWN)).isFalse();
        assertThat(tracker.recordOpen("../../etc/passwd", ClientInfo.UNKNOWN)).isFalse();
        assertThat(tracker.recordOpen("x".repeat(65), ClientInfo.UNKNOWN)).isFalse();
        assertThat(tracker.recordOpen(null, ClientInfo.UNKNOWN)).isFalse();
    }

    @Test
    void recordOpen_failingStore_dropsTheEventWithoutFailing() {
        FaultyStore broken = new FaultyStore(store);
        EmailTracker onBrokenStore = newTracker(broken);
        String id = newEmail().trackingId().value();
        broken.failWrites(true);

        boolean stored = onBrokenStore.recordOpen(id, ClientInfo.UNKNOWN);

        assertThat(stored).isFalse();
        assertThat(onBrokenStore.droppedEventCount()).isEqualTo(1);
        assertThat(onBrokenStore.unconfirmedEventCount()).isZero();
    }

    @Test
    void recordOpen_storeNotConfirmingItsCommits_countsTheDroppedOpensItMayHaveStored() {
        FaultyStore unsure = new FaultyStore(store);
        EmailTracker onUnsureStore = newTracker(unsure);
        String id = newEmail().trackingId().value();
        unsure.failWrites(true);
        onUnsureStore.recordOpen(id, ClientInfo.UNKNOWN);
        unsure.failWrites(false);
        unsure.leaveWritesUnconfirmed(true);

        boolean stored = onUnsureStore.recordOpen(id, ClientInfo.UNKNOWN);
        boolean storedAsync =
                onUnsureStore.recordOpenAsync(id, ClientInfo.UNKNOWN).toCompletableFuture().join();

        assertThat(stored).isFalse();
        assertThat(storedAsync).isFalse();
        assertThat(onUnsureStore.droppedEventCount()).isEqualTo(3);
        assertThat(onUnsureStore.unconfirmedEventCount()).isEqualTo(2);
    }

    @Test
    void recordOpen_byDefault_countsEveryRepeat() {
        String id = newEmail().trackingId().value();
        ClientInfo client = new ClientInfo("192.0.2.7", "curl/8");

        for (int i = 0; i < 5; i++) {
            tracker.recordOpen(id, client);
        }

        assertThat(tracker.status(ALICE, id, Page.NEWEST).orElseThrow().counters().openCount())
                .isEqualTo(5);
    }

    @Test
    void recordOpen_withCollapseWindow_countsOneOpenPerClientAndWindow() {
        EmailTracker collapsing =
                EmailTracker.builder()
                        .store(store)
                        .publicBaseUrl(BASE)
                        .clock(clock)
                        .idGenerator(new CountingIds())
                        .collapseRepeatedOpens(Duration.ofMinutes(1))
                        .build();
        String id = newEmail().trackingId().value();
        ClientInfo script = new ClientInfo("192.0.2.7", "curl/8");
        ClientInfo person = new ClientInfo("198.51.100.1", "Mail/1.0");

        for (int i = 0; i < 100; i++) {
            collapsing.recordOpen(id, script);
        }
        collapsing.recordOpen(id, person);
        clock.advance(Duration.ofSeconds(61));
        collapsing.recordOpen(id, script);

        assertThat(tracker.status(ALICE, id, Page.NEWEST).orElseThrow().counters().openCount())
                .isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(IpAddressPolicy.class)
    void recordOpen_withCollapseWindow_tellsClientsApartByTheirWholeAddress_whateverIsKept(
            IpAddressPolicy policy) {
        EmailTracker collapsing =
                trackerWith(
                        b ->
                                b.ipAddressPolicy(policy)
                                        .collapseRepeatedOpens(Duration.ofMinutes(1)));
        String id = newEmail().trackingId().value();

        // The first two share their network, which is all TRUNCATED keeps of them.
        for (String address : List.of("192.0.2.1", "192.0.2.2", "198.51.100.7", "192.0.2.1")) {
            collapsing.recordOpen(id, new ClientInfo(address, "Mail/1.0"));
        }

        assertThat(tracker.status(ALICE, id, Page.NEWEST).orElseThrow().counters().openCount())
                .isEqualTo(3);
    }

    @Test
    void recordReply_messageOverTheLimit_isRefused() {
        EmailTracker strict =
                EmailTracker.builder()
                        .store(store)
                        .publicBaseUrl(BASE)
                        .maxReplyMessageChars(10)
                        .build();
        String id = newEmail().trackingId().value();

        assertThatThrownBy(() -> strict.recordReply(id, "x".repeat(11), 0))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("at most 10 characters");
        assertThat(tracker.status(ALICE, id, Page.NEWEST).orElseThrow().counters().replied())
                .isFalse();
    }

    @Test
    void recordReply_andRecordBounce_countCharactersBeyondTheBmpOnce() {
        EmailTracker strict =
                EmailTracker.builder()
                        .store(store)
                        .publicBaseUrl(BASE)
                        .maxReplyMessageChars(10)
                        .build();
        String id = newEmail().trackingId().value();
        String emoji = "\uD83D\uDE00";

        strict.recordReply(id, emoji.repeat(10), 0);
        strict.recordBounce(id, BounceType.SOFT, emoji.repeat(2000));

        assertThatThrownBy(() -> strict.recordReply(id, emoji.repeat(11), 0))
                .isInstanceOf(PayloadTooLargeException.class);
        assertThatThrownBy(() -> strict.recordBounce(id, BounceType.SOFT, emoji.repeat(2001)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("reason must be at most 2000 characters");
        assertThat(tracker.status(ALICE, id, Page.NEWEST).orElseThrow().counters().replied())
                .isTrue();
    }

    @Test
    void copyAttachment_forAViewerWhoMayNotSeeIt_copiesNothing() throws IOException {
        String id = newEmail().trackingId().value();
        AttachmentInfo saved =
                tracker.saveAttachment(
                        id,
                        "a.txt",
                        "text/plain",
                        new ByteArrayInputStream("secret".getBytes(StandardCharsets.UTF_8)));
        ByteArrayOutputStream toMallory = new ByteArrayOutputStream();
        ByteArrayOutputStream toAlice = new ByteArrayOutputStream();

        boolean copiedToMallory =
                tracker.copyAttachment(Viewer.owner("mallory"), saved.id().value(), toMallory);
        boolean copiedToAlice = tracker.copyAttachment(ALICE, saved.id().value(), toAlice);

        assertThat(copiedToMallory).isFalse();
        assertThat(toMallory.size()).isZero();
        assertThat(copiedToAlice).isTrue();
        assertThat(toAlice.toString(StandardCharsets.UTF_8)).isEqualTo("secret");
    }

    @Test
    void recordClick_signedLink_redirectsAndRecords() {
        RegisteredEmail email = newEmail();
        String id = email.trackingId().value();

        String location =
                tracker.recordClick(id, PRODUCT, signatureOf(email, PRODUCT), ClientInfo.UNKNOWN);

        assertThat(location).isEqualTo(PRODUCT);
        assertThat(tracker.status(ALICE, id, Page.NEWEST).orElseThrow().clicks())
                .singleElement()
                .satisfies(click -> assertThat(click.url()).isEqualTo(PRODUCT));
    }

    @Test
    void recordClick_registeredLinkWithoutSignature_redirects() {
        String id = newEmail().trackingId().value();

        assertThat(tracker.recordClick(id, PRODUCT, null, ClientInfo.UNKNOWN)).isEqualTo(PRODUCT);
    }

    @Test
    void recordClick_foreignLinkWithoutSignature_isRefused() {
        String id = newEmail().trackingId().value();

        assertThatThrownBy(
                        () ->
                                tracker.recordClick(
                                        id, "https://evil.example/", null, ClientInfo.UNKNOWN))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(tracker.status(ALICE, id, Page.NEWEST).orElseThrow().counters().clickCount())
                .isZero();
    }

    @Test
    void recordClick_signatureOfAnotherLinkOrEmail_isRefused() {
        RegisteredEmail first = newEmail();
        RegisteredEmail second = newEmail();
        String signature = signatureOf(first, PRODUCT);

        assertThatThrownBy(
                        () ->
                                tracker.recordClick(
                                        first.trackingId().value(),
                                        "https://evil.example/",
                                        signature,
                                        ClientInfo.UNKNOWN))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(
                        () ->
                                tracker.recordClick(
                                        second.trackingId().value(),
                                        "https://evil.example/",
                                        signature,
                                        ClientInfo.UNKNOWN))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void recordClick_allowedHost_redirectsWithoutSignature() {
        EmailTracker withAllowList =
                EmailTracker.builder()
                        .store(store)
                        .publicBaseUrl(BASE)
                        .clock(clock)
                        .idGenerator(new CountingIds())
                        .allowedRedirectHosts(List.of("Docs.Example.com"))
                        .build();
        String id = newEmail().trackingId().value();

        String location =
                withAllowList.recordClick(
                        id, "https://docs.example.com/a", null, ClientInfo.UNKNOWN);

        assertThat(location).isEqualTo("https://docs.example.com/a");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "example.com:8080",
                "example.com/path",
                "example.com?x",
                "evil.example#.example.com",
                "user@example.com",
                "https://example.com",
                "[::1]:80",
                "[abc.de]",
                "[1.2.3.4]",
                "[:]",
                "[fe80::1%eth0]",
                "example.com.",
                ".",
                "\u3002",
                "127.1",
                "0x7f.1",
                "example.123"
            })
    void allowedRedirectHosts_withMoreThanAHost_areRefused(String host) {
        assertThatThrownBy(() -> EmailTracker.builder().allowedRedirectHosts(List.of(host)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "allowedRedirectHosts must hold host names alone, without a scheme, port,"
                                + " path, query, fragment or final dot, and with a number last only"
                                + " in an IPv4 address of four decimal parts, not ");
    }

    @Test
    void allowedRedirectHosts_ofABareIpv6Address_isRefusedSayingToBracketIt() {
        assertThatThrownBy(
                        () -> EmailTracker.builder().allowedRedirectHosts(List.of("2001:db8::1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("; write an IPv6 address in brackets");
    }

    @Test
    void allowedRedirectHosts_ofAnIpv6AddressOrAnInternationalName_letClicksThrough() {
        EmailTracker withAllowList =
                EmailTracker.builder()
                        .store(store)
                        .publicBaseUrl(BASE)
                        .clock(clock)
                        .idGenerator(new CountingIds())
                        .allowedRedirectHosts(List.of("[2001:db8::1]", "bücher.de"))
                        .build();
        String id = newEmail().trackingId().value();

        assertThat(
                        withAllowList.recordClick(
                                id, "https://[2001:db8::1]/a", null, ClientInfo.UNKNOWN))
                .isEqualTo("https://[2001:db8::1]/a");
        assertThat(withAllowList.recordClick(id, "https://bücher.de/a", null, ClientInfo.UNKNOWN))
                .isEqualTo("https://xn--bcher-kva.de/a");
    }

    @ParameterizedTest
    @CsvSource({
        "[2001:db8::1], https://[2001:DB8:0:0:0:0:0:1]/a",
        "[2001:0DB8:0:0::0001], https://[2001:db8::1]/a",
        "[::ffff:192.0.2.1], https://[::ffff:c000:201]/a"
    })
    void allowedRedirectHosts_ofAnIpv6Address_matchItHoweverItIsWritten(String host, String link) {
        EmailTracker withAllowList =
                EmailTracker.builder()
                        .store(store)
                        .publicBaseUrl(BASE)
                        .allowedRedirectHosts(List.of(host))
                        .build();
        String id = newEmail().trackingId().value();

        assertThat(withAllowList.recordClick(id, link, null, ClientInfo.UNKNOWN)).isEqualTo(link);
    }

    @Test
    void recordClick_signedLinkOfPurgedEmail_redirectsRecordingNothing() {
        RegisteredEmail email = newEmail();
        String signature = signatureOf(email, PRODUCT);
        EmailTracker afterPurge = newTrackerSharingKey(new MemoryTrackingStore());

        String location =
                afterPurge.recordClick(
                        email.trackingId().value(), PRODUCT, signature, ClientInfo.UNKNOWN);

        assertThat(location).isEqualTo(PRODUCT);
    }

    @Test
    void recordClick_unsignedClickOfUnknownEmail_isNotFound() {
        assertThatThrownBy(() -> tracker.recordClick("unknown", PRODUCT, null, ClientInfo.UNKNOWN))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void recordClick_invalidRedirect_isRefusedBeforeAnythingElse() {
        assertThatThrownBy(
                        () ->
                                tracker.recordClick(
                                        "unknown", "javascript:alert(1)", "x", ClientInfo.UNKNOWN))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("http or https");
    }

    @Test
    void resolveClick_answersTheTargetWithoutRecording() {
        RegisteredEmail email = newEmail();
        String id = email.trackingId().value();

        String location = tracker.resolveClick(id, PRODUCT, signatureOf(email, PRODUCT));

        assertThat(location).isEqualTo(PRODUCT);
        assertThat(tracker.status(ALICE, id, Page.NEWEST).orElseThrow().counters().clickCount())
                .isZero();
    }

    @Test
    void linkSigningKey_isKeptInTheStore_soATrackerBuiltLaterAcceptsOldSignatures() {
        RegisteredEmail email = newEmail();
        String id = email.trackingId().value();
        FaultyStore forgetful = new FaultyStore(store);
        forgetful.forgetLinks(true);
        EmailTracker restarted = newTracker(forgetful);

        String location = restarted.resolveClick(id, PRODUCT, signatureOf(email, PRODUCT));

        assertThat(location).isEqualTo(PRODUCT);
        assertThatThrownBy(() -> restarted.resolveClick(id, PRODUCT, "AAAAAAAAAAAAAAAAAAAAAA"))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void recordReply_unknownEmail_isNotFound() {
        assertThatThrownBy(() -> tracker.recordReply("unknown", "hi", 0))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void recordReply_knownEmail_marksItReplied() {
        String id = newEmail().trackingId().value();
        clock.advance(Duration.ofHours(5));

        tracker.recordReply(id, "Thanks", 2);

        assertThat(tracker.status(ALICE, id, Page.NEWEST).orElseThrow().counters().repliedAt())
                .isEqualTo(START.plus(Duration.ofHours(5)));
    }

    @Test
    void saveAttachment_overTheLimit_isRefusedAndNothingIsStored() {
        EmailTracker small =
                EmailTracker.builder()
                        .store(store)
                        .publicBaseUrl(BASE)
                        .maxAttachmentBytes(10)
                        .build();
        String id = newEmail().trackingId().value();

        assertThatThrownBy(
                        () ->
                                small.saveAttachment(
                                        id, "a.bin", null, new ByteArrayInputStream(new byte[11])))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("10 bytes");
        assertThat(tracker.status(ALICE, id, Page.NEWEST).orElseThrow().attachments()).isEmpty();
    }

    @Test
    void saveAttachment_exactlyTheLimit_isStoredWithACleanName() throws IOException {
        EmailTracker small =
                EmailTracker.builder()
                        .store(store)
                        .publicBaseUrl(BASE)
                        .maxAttachmentBytes(10)
                        .build();
        String id = newEmail().trackingId().value();

        AttachmentInfo info =
                small.saveAttachment(
                        id, "../x/a.bin", "TEXT/plain", new ByteArrayInputStream(new byte[10]));

        assertThat(info.fileSize()).isEqualTo(10);
        assertThat(info.fileName()).isEqualTo("a.bin");
        assertThat(info.contentType()).isEqualTo("text/plain");
    }

    @Test
    void status_ofAnotherOwnersEmail_isEmpty_butAnAdminSeesIt() {
        String id = newEmail().trackingId().value();

        assertThat(tracker.status(Viewer.owner("bob"), id, Page.NEWEST)).isEmpty();
        assertThat(tracker.status(Viewer.admin("root"), id, Page.NEWEST)).isPresent();
    }

    @Test
    void campaignReport_ratesAreDistinctEmailsOverSent_toOneDecimal() {
        Campaign campaign = tracker.createCampaign("alice", "Welcome Campaign");
        for (int i = 0; i < 150; i++) {
            String id =
                    tracker.registerEmail(
                                    ALICE,
                                    campaign.id().value(),
                                    NewEmail.to("r" + i + "@example.com", List.of(PRODUCT)))
                            .trackingId()
                            .value();
            if (i < 98) {
                tracker.recordOpen(id, ClientInfo.UNKNOWN);
                tracker.recordOpen(id, ClientInfo.UNKNOWN);
            }
            if (i < 45) {
                tracker.recordClick(id, PRODUCT, null, ClientInfo.UNKNOWN);
            }
            if (i < 12) {
                tracker.recordReply(id, null, 0);
            }
        }

        CampaignReport report =
                tracker.campaignReport(ALICE, campaign.id().value(), ZoneOffset.UTC).orElseThrow();

        assertThat(report.totals().sentCount()).isEqualTo(150);
        assertThat(report.totals().openedCount()).isEqualTo(98);
        assertThat(report.openRate()).isEqualTo(65.3);
        assertThat(report.clickRate()).isEqualTo(30.0);
        assertThat(report.replyRate()).isEqualTo(8.0);
    }

    @Test
    void campaignReport_ofAnotherOwner_isEmpty() {
        Campaign campaign = tracker.createCampaign("bob", "Bob's");

        assertThat(tracker.campaignReport(ALICE, campaign.id().value(), ZoneOffset.UTC)).isEmpty();
    }

    @Test
    void builder_missingStoreOrBaseUrl_failsNamingIt() {
        assertThatThrownBy(() -> EmailTracker.builder().publicBaseUrl(BASE).build())
                .hasMessage("store is required");
        assertThatThrownBy(() -> EmailTracker.builder().publicBaseUrl("ftp://x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ftp://x");
        assertThatThrownBy(() -> EmailTracker.builder().maxAttachmentBytes(0))
                .hasMessage("maxAttachmentBytes must be positive, not 0");
        assertThatThrownBy(() -> EmailTracker.builder().maxAttachmentBytes(Long.MAX_VALUE))
                .hasMessage(
                        "maxAttachmentBytes must be at most 1099511627776 (1 TiB), not "
                                + Long.MAX_VALUE);
    }

    @Test
    void saveAttachment_underTheHighestLimit_isStored() throws IOException {
        EmailTracker roomy =
                trackerWith(b -> b.maxAttachmentBytes(EmailTracker.MAX_ATTACHMENT_LIMIT));
        String id = newEmail().trackingId().value();

        AttachmentInfo stored =
                roomy.saveAttachment(
                        id, "a.txt", "text/plain", new ByteArrayInputStream(new byte[10]));

        assertThat(stored.fileSize()).isEqualTo(10);
    }

    @Test
    void builder_baseUrlWithCredentialsOrSpaces_isRefused_withoutRepeatingThePassword() {
        assertThatThrownBy(
                        () ->
                                EmailTracker.builder()
                                        .publicBaseUrl("https://user:hunter2@t.example.com/track"))
                .hasMessage("publicBaseUrl must not carry a user name or password");
        assertThatThrownBy(() -> EmailTracker.builder().publicBaseUrl("https://t.example.com/a b"))
                .hasMessageStartingWith("publicBaseUrl must be an absolute http or https URL");
        assertThat(EmailTracker.builder().publicBaseUrl("https://t.example.com/@team/"))
                .isNotNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://t.example.com/api/track//",
                "https://t.example.com//track",
                "https://t.example.com/a/./track",
                "https://t.example.com/a/../track",
                "https://t.example.com/track%zz",
                "https://t.example.com/track%4",
                "https://t.example.com/a%2Fb",
                "https://t.example.com/%2e%2e/t",
                "https://t.example.com/%2E/t",
                "https://t.example.com/a%00b",
                "https://t.example.com/a%5cb",
                "https://t.example.com/x/..;/track",
                "https://t.example.com/.;/track",
                "https://t.example.com/a%25b",
                "https://t.example.com/a%FFb",
                "https://t.example.com/a%C0%AEb",
                "https://t.example.com/t|x",
                "https://t.example.com/t^x",
                "https://t.example.com/t[x]",
                "https://t.example.com/t{x}"
            })
    void builder_baseUrlWhosePathServersRefuseOrRewrite_isRefused(String baseUrl) {
        assertThatThrownBy(() -> EmailTracker.builder().publicBaseUrl(baseUrl))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("publicBaseUrl must have a path of letters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://b\u00FCcher.example/t", "https://t.example.com/p\u00E4th"})
    void builder_baseUrlOutsideAscii_isRefused(String baseUrl) {
        assertThatThrownBy(() -> EmailTracker.builder().publicBaseUrl(baseUrl))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("publicBaseUrl must be written in ASCII");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://t.example.com:0/t",
                "http://my_host:0/t",
                "http://[::1]:00/t",
                "http://localhost:65536/x",
                "http://localhost:+1/x",
                "http://localhost: 80/x",
                "http://localhost:/x",
                "http://localhost:8o/x"
            })
    void builder_baseUrlOnAPortNotFrom1To65535_isRefusedNamingThePort(String baseUrl) {
        assertThatThrownBy(() -> EmailTracker.builder().publicBaseUrl(baseUrl))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("publicBaseUrl must have a port from 1 to 65535");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://xn--.example/t",
                "https://xn--a.example/t",
                "https://xn--zz-.example/t",
                "https://track.example.123/t",
                "https://1.2.3.256/t",
                "https://a.0x/t",
                "https://a.b.0xff/t",
                "https://017.0.0.1/t"
            })
    void builder_baseUrlOnAHostNoBrowserReaches_isRefused(String baseUrl) {
        assertThatThrownBy(() -> EmailTracker.builder().publicBaseUrl(baseUrl))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("publicBaseUrl must have a host that browsers reach");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://xn--bcher-kva.example/t",
                "https://127.0.0.1:8080/t",
                "https://[::1]:8080/t",
                "https://t.example.com./t",
                "https://t.example.com/caf%C3%A9/t"
            })
    void builder_baseUrlOnAHostBrowsersReach_isTaken(String baseUrl) {
        assertThat(EmailTracker.builder().publicBaseUrl(baseUrl)).isNotNull();
    }

    @Test
    void builder_baseUrlWithEscapesAndATrailingSlash_isTaken() {
        EmailTracker escaped = trackerWith(b -> b.publicBaseUrl("https://t.example.com/a%20b/"));
        Campaign campaign = escaped.createCampaign("alice", "Welcome");

        RegisteredEmail email =
                escaped.registerEmail(
                        ALICE, campaign.id().value(), NewEmail.to("a@b.c", List.of()));

        assertThat(email.openUrl()).startsWith("https://t.example.com/a%20b/open/");
    }

    @Test
    void registerEmail_onAnIpv6Host_madeMessageIdHasADomainLiteral() {
        EmailTracker onIpv6 = trackerWith(b -> b.publicBaseUrl("https://[::1]:8080/t"));
        Campaign campaign = onIpv6.createCampaign("alice", "Welcome");

        RegisteredEmail email =
                onIpv6.registerEmail(ALICE, campaign.id().value(), NewEmail.to("a@b.c", List.of()));

        assertThat(email.messageId()).isEqualTo("<" + email.trackingId().value() + "@[::1]>");
    }

    @Test
    void registerEmail_withHtml_returnsItInstrumented_andRegistersItsLinks() {
        Campaign campaign = tracker.createCampaign("alice", "Welcome");
        String html = "<p>Hi <a href=\"https://example.com/a?x=1&amp;y=2\">A</a></p>";

        RegisteredEmail email =
                tracker.registerEmail(
                        ALICE, campaign.id().value(), NewEmail.withHtml("a@b.c", html));

        String original = "https://example.com/a?x=1&y=2";
        assertThat(email.clickUrls()).containsOnlyKeys(original);
        assertThat(email.html())
                .contains(email.clickUrls().get(original).replace("&", "&amp;"))
                .contains("<img src=\"" + email.openUrl() + "\"");
        assertThat(store.isLinkRegistered(email.trackingId(), original)).isTrue();
    }

    @Test
    void registerEmail_givesAMessageIdAtTheTrackersHost_andUnsubscribeHeaders() {
        RegisteredEmail email = newEmail();

        assertThat(email.messageId()).isEqualTo("<" + email.trackingId() + "@track.example.com>");
        assertThat(email.listUnsubscribe())
                .isEqualTo("<" + BASE + "/unsubscribe/" + email.trackingId() + ">");
        assertThat(email.listUnsubscribePost()).isEqualTo("List-Unsubscribe=One-Click");
    }

    @Test
    void registerEmail_mailersMessageId_isKept_andMayNotBeRegisteredTwice() {
        String campaignId = tracker.createCampaign("alice", "Welcome").id().value();
        NewEmail email = new NewEmail("a@b.c", null, List.of(), null, "abc.123@mailer.example");

        RegisteredEmail registered = tracker.registerEmail(ALICE, campaignId, email);

        assertThat(registered.messageId()).isEqualTo("<abc.123@mailer.example>");
        assertThatThrownBy(() -> tracker.registerEmail(ALICE, campaignId, email))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("messageId");
        assertThatThrownBy(
                        () ->
                                tracker.registerEmail(
                                        ALICE,
                                        campaignId,
                                        new NewEmail("a@b.c", null, List.of(), null, "no at sign")))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void recordReplyByHeaders_findsTheEmailByInReplyToOrReferences() {
        RegisteredEmail first = newEmail();
        RegisteredEmail second = newEmail();

        TrackingId byInReplyTo =
                tracker.recordReplyByHeaders(first.messageId(), null, "Yes", 0, null);
        TrackingId byReferences =
                tracker.recordReplyByHeaders(
                        "<unknown@elsewhere.example>",
                        "<old@elsewhere.example> " + second.messageId() + " <other@x.example>",
                        null,
                        0,
                        null);

        assertThat(byInReplyTo).isEqualTo(first.trackingId());
        assertThat(byReferences).isEqualTo(second.trackingId());
        assertThat(counters(second).replied()).isTrue();
        assertThatThrownBy(
                        () ->
                                tracker.recordReplyByHeaders(
                                        "<nobody@x.example>", null, null, 0, null))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void recordReplyByHeaders_trackedIdWithinTheLast100References_isFound() {
        RegisteredEmail tracked = newEmail();
        StringBuilder references = new StringBuilder(tracked.messageId());
        for (int i = 0; i < 99; i++) {
            references.append(" <newer-").append(i).append("@x.example>");
        }

        TrackingId found = tracker.recordReplyByHeaders(null, references.toString(), null, 0, null);

        assertThat(found).isEqualTo(tracked.trackingId());
    }

    @Test
    void recordReplyByHeaders_trackedIdBeforeTheLast100References_isNotFound() {
        RegisteredEmail tracked = newEmail();
        StringBuilder references = new StringBuilder(tracked.messageId());
        for (int i = 0; i < 100; i++) {
            references.append(" <newer-").append(i).append("@x.example>");
        }

        assertThatThrownBy(
                        () ->
                                tracker.recordReplyByHeaders(
                                        null, references.toString(), null, 0, null))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("the last 100 of references");
    }

    @Test
    void recordReply_retriedWithTheSameMessageId_isStoredOnce() {
        RegisteredEmail email = newEmail();
        String id = email.trackingId().value();

        tracker.recordReply(id, "Yes", 1, "<AAMk-reply@outlook.example>");
        tracker.recordReply(id, "Yes", 1, "AAMk-reply@outlook.example");
        CampaignReport report = reportOf(email);

        assertThat(report.totals().repliedCount()).isEqualTo(1);
        assertThat(report.totals().timeline().get(0).replies()).isEqualTo(1);
    }

    @Test
    void recordBounceAndUnsubscribe_reachTheReport() {
        RegisteredEmail email = newEmail();
        String id = email.trackingId().value();

        tracker.recordBounce(id, BounceType.SOFT, "mailbox full");
        tracker.recordBounce(id, BounceType.HARD, "no such user");
        tracker.recordUnsubscribe(id);

        assertThat(reportOf(email).totals().bounceCount()).isEqualTo(1);
        assertThat(reportOf(email).totals().unsubscribeCount()).isEqualTo(1);
        assertThatThrownBy(() -> tracker.recordUnsubscribe("unknown"))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void ipAddressPolicy_truncatedOrNone_keepsOnlyThatMuch() {
        EmailTracker truncating = trackerWith(b -> b.ipAddressPolicy(IpAddressPolicy.TRUNCATED));
        EmailTracker forgetting = trackerWith(b -> b.ipAddressPolicy(IpAddressPolicy.NONE));
        String id = newEmail().trackingId().value();

        truncating.recordOpen(id, new ClientInfo("192.0.2.77", null));
        truncating.recordOpen(id, new ClientInfo("2001:db8:abcd:12::1", null));
        truncating.recordOpen(id, new ClientInfo("not-an-address", null));
        forgetting.recordOpen(id, new ClientInfo("192.0.2.77", null));

        assertThat(tracker.status(ALICE, id, Page.NEWEST).orElseThrow().opens())
                .extracting(OpenEvent::ipAddress)
                .containsExactly("192.0.2.0", "2001:db8:abcd::", null, null);
    }

    @Test
    void eraseAndRetention_leaveTheReportAsItWas() {
        RegisteredEmail email = newEmail();
        String id = email.trackingId().value();
        tracker.recordOpen(id, new ClientInfo("192.0.2.1", "Mail"));
        tracker.recordReply(id, "private", 0);
        CampaignReport before = reportOf(email);
        clock.advance(Duration.ofDays(40));

        long deleted = tracker.deleteEventsOlderThan(Duration.ofDays(30));
        CampaignReport afterRetention = reportOf(email);
        int erased = tracker.eraseRecipient("A@B.C");

        assertThat(deleted).isEqualTo(2);
        assertThat(afterRetention).isEqualTo(before);
        assertThat(erased).isEqualTo(1);
        assertThat(tracker.status(ALICE, id, Page.NEWEST)).isEmpty();
        assertThat(tracker.campaignReport(ALICE, before.campaign().id().value(), ZoneOffset.UTC))
                .contains(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"user@bücher.example", "USER@XN--BCHER-KVA.EXAMPLE"})
    void eraseRecipient_internationalDomain_erasesBothSpellingsOfIt(String erasedAs) {
        Campaign campaign = tracker.createCampaign("alice", "Welcome");
        String unicode = registerTo(campaign, "user@Bücher.example");
        String ascii = registerTo(campaign, "user@xn--bcher-kva.example");
        String other = registerTo(campaign, "user@bucher.example");

        int erased = tracker.eraseRecipient(erasedAs);

        assertThat(erased).isEqualTo(2);
        assertThat(tracker.status(ALICE, unicode, Page.NEWEST)).isEmpty();
        assertThat(tracker.status(ALICE, ascii, Page.NEWEST)).isEmpty();
        assertThat(tracker.status(ALICE, other, Page.NEWEST)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"x@faß.de", "x@xn--fa-hia.de"})
    void eraseRecipient_domainTheOldRulesWouldMapToAnother_erasesOnlyTheAddressGiven(
            String erased) {
        // The old international-name rules turn ß into ss: faß.de would become fass.de, the
        // domain of other people, and xn--fa-hia.de, the real ASCII form, is not that.
        Campaign campaign = tracker.createCampaign("alice", "Welcome");
        String given = registerTo(campaign, erased);
        String fass = registerTo(campaign, "x@fass.de");

        assertThat(tracker.eraseRecipient("X" + erased.substring(1))).isEqualTo(1);
        assertThat(tracker.status(ALICE, given, Page.NEWEST)).isEmpty();
        assertThat(tracker.status(ALICE, fass, Page.NEWEST)).isPresent();
    }

    @Test
    void eraseRecipient_domainThatIsNoInternationalName_erasesTheAddressAsGiven() {
        // A label of 64 letters is too long for a domain name in either form.
        Campaign campaign = tracker.createCampaign("alice", "Welcome");
        String id = registerTo(campaign, "a@" + "ü".repeat(64) + ".example");

        assertThat(tracker.eraseRecipient("A@" + "Ü".repeat(64) + ".example")).isEqualTo(1);
        assertThat(tracker.status(ALICE, id, Page.NEWEST)).isEmpty();
    }

    private String registerTo(Campaign campaign, String address) {
        return tracker.registerEmail(ALICE, campaign.id().value(), NewEmail.to(address, List.of()))
                .trackingId()
                .value();
    }

    @Test
    void tenants_seeOnlyTheirOwnCampaigns_andTheirAdminsSeeAllOfThem() {
        Viewer acmeAlice = new Viewer("alice", "acme", false);
        Campaign acme = tracker.createCampaign(acmeAlice, "Acme news");

        assertThat(acme.tenant()).isEqualTo("acme");
        assertThat(tracker.campaignReport(acmeAlice, acme.id().value(), ZoneOffset.UTC))
                .isPresent();
        assertThat(
                        tracker.campaignReport(
                                new Viewer("alice", "globex", false),
                                acme.id().value(),
                                ZoneOffset.UTC))
                .isEmpty();
        assertThat(
                        tracker.campaignReport(
                                new Viewer("root", "acme", true),
                                acme.id().value(),
                                ZoneOffset.UTC))
                .isPresent();
        assertThat(
                        tracker.campaignReport(
                                new Viewer("root", "globex", true),
                                acme.id().value(),
                                ZoneOffset.UTC))
                .isEmpty();
        assertThat(tracker.campaignReport(Viewer.admin("root"), acme.id().value(), ZoneOffset.UTC))
                .isEmpty();
    }

    private EmailCounters counters(RegisteredEmail email) {
        return tracker.status(ALICE, email.trackingId().value(), Page.NEWEST)
                .orElseThrow()
                .counters();
    }

    private CampaignReport reportOf(RegisteredEmail email) {
        String campaignId = store.findEmail(email.trackingId()).orElseThrow().campaignId().value();
        return tracker.campaignReport(Viewer.admin("root"), campaignId, ZoneOffset.UTC)
                .orElseThrow();
    }

    private EmailTracker trackerWith(
            java.util.function.UnaryOperator<EmailTracker.Builder> settings) {
        return settings.apply(EmailTracker.builder().store(store).publicBaseUrl(BASE).clock(clock))
                .build();
    }

    private RegisteredEmail newEmail() {
        Campaign campaign = tracker.createCampaign("alice", "Welcome");
        return tracker.registerEmail(
                ALICE, campaign.id().value(), NewEmail.to("a@b.c", List.of(PRODUCT)));
    }

    private EmailTracker newTracker(io.github.emailtracking.api.spi.TrackingStore on) {
        return EmailTracker.builder()
                .store(on)
                .publicBaseUrl(BASE)
                .clock(clock)
                .idGenerator(new CountingIds())
                .build();
    }

    private EmailTracker newTrackerSharingKey(io.github.emailtracking.api.spi.TrackingStore on) {
        String key = store.setting(LinkKeys.SETTING, () -> "");
        on.setting(LinkKeys.SETTING, () -> key);
        return newTracker(on);
    }

    private static String signatureOf(RegisteredEmail email, String url) {
        String clickUrl = email.clickUrls().get(url);
        return clickUrl.substring(clickUrl.indexOf("&sig=") + 5);
    }
}
