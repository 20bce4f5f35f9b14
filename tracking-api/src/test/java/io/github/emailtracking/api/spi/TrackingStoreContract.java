package io.github.emailtracking.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.emailtracking.api.AttachmentId;
import io.github.emailtracking.api.AttachmentInfo;
import io.github.emailtracking.api.BounceEvent;
import io.github.emailtracking.api.BounceType;
import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.CampaignId;
import io.github.emailtracking.api.CampaignTotals;
import io.github.emailtracking.api.Classification;
import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.DailyEngagement;
import io.github.emailtracking.api.EmailCounters;
import io.github.emailtracking.api.EmailStatus;
import io.github.emailtracking.api.InvalidRequestException;
import io.github.emailtracking.api.LinkClicks;
import io.github.emailtracking.api.NotFoundException;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.PersonTotals;
import io.github.emailtracking.api.ReminderEvent;
import io.github.emailtracking.api.ReplyEvent;
import io.github.emailtracking.api.StoreException;
import io.github.emailtracking.api.TrackedEmail;
import io.github.emailtracking.api.TrackingId;
import io.github.emailtracking.api.UnsubscribeEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tests every {@link TrackingStore} passes. A store's test class extends this one and says how
 * to make a new, empty store; the memory store is the reference that defines the expected answers.
 */
public abstract class TrackingStoreContract {

    private static final Instant SENT = Instant.parse("2026-02-10T09:00:00Z");
    private static final ZoneId UTC = ZoneOffset.UTC;

    private TrackingStore store;
    private int nextId;

    /** Returns a new store with nothing in it; it is closed after each test. */
    protected abstract TrackingStore newStore() throws Exception;

    /**
     * Returns a new, empty store that keeps at most {@code eventsPerEmail} open rows and as many
     * click rows per email; the caller closes it.
     */
    protected abstract TrackingStore newStoreKeepingAtMost(int eventsPerEmail) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** Returns the store under test. */
    protected TrackingStore store() {
        return store;
    }

    @Test
    void close_thenEveryCallFails_sayingTheStoreIsClosed() {
        Campaign campaign = campaign("alice");
        TrackedEmail email = jane(campaign);

        store.close();
        store.close();

        List<Runnable> calls =
                List.of(
                        () -> campaign("bob"),
                        () -> store.findCampaign(campaign.id()),
                        () -> store.record(new OpenEvent(email.trackingId(), SENT, null, null)),
                        () -> store.status(email.trackingId(), Page.NEWEST),
                        () -> store.eraseRecipient(email.recipientEmail()));
        for (Runnable call : calls) {
            assertThatThrownBy(call::run)
                    .isInstanceOf(StoreException.class)
                    .hasMessageEndingWith(": the store is closed");
        }
    }

    @Test
    void findCampaign_afterSave_returnsIt() {
        Campaign campaign = campaign("alice");

        assertThat(store.findCampaign(campaign.id())).contains(campaign);
    }

    @Test
    void findCampaign_unknownId_isEmpty() {
        assertThat(store.findCampaign(new CampaignId("nope"))).isEmpty();
    }

    @Test
    void saveCampaign_sameIdTwice_fails() {
        Campaign campaign = campaign("alice");

        assertThatThrownBy(() -> store.saveCampaign(campaign)).isInstanceOf(StoreException.class);
    }

    @Test
    void findEmail_afterSave_returnsIt() {
        Campaign campaign = campaign("alice");
        TrackedEmail email = email(campaign, SENT);

        assertThat(store.findEmail(email.trackingId())).contains(email);
    }

    @Test
    void saveEmail_sameTrackingIdTwice_failsAndKeepsTheFirst() {
        Campaign campaign = campaign("alice");
        TrackedEmail email = email(campaign, SENT);
        TrackedEmail again =
                new TrackedEmail(
                        email.trackingId(), campaign.id(), "x@example.com", SENT, "<again@x>");

        assertThatThrownBy(() -> store.saveEmail(again, Set.of("https://e.com/again")))
                .isInstanceOf(StoreException.class)
                .hasMessage("an email with tracking id " + email.trackingId() + " exists");
        assertThat(store.findEmail(email.trackingId())).contains(email);
        assertThat(store.findEmailByMessageId("<again@x>")).isEmpty();
        assertThat(store.isLinkRegistered(email.trackingId(), "https://e.com/again")).isFalse();
        assertThat(sentCount(campaign)).isEqualTo(1);
    }

    @Test
    void isLinkRegistered_matchesExactlyTheRegisteredText() {
        Campaign campaign = campaign("alice");
        TrackedEmail email = email(campaign, SENT, "https://example.com/a?x=1&y=%2F#top");
        TrackingId id = email.trackingId();

        assertThat(store.isLinkRegistered(id, "https://example.com/a?x=1&y=%2F#top")).isTrue();
        assertThat(store.isLinkRegistered(id, "https://example.com/a?x=1&y=/#top")).isFalse();
        assertThat(store.isLinkRegistered(id, "https://EXAMPLE.com/a?x=1&y=%2F#top")).isFalse();
        assertThat(store.isLinkRegistered(new TrackingId("other"), "https://example.com/"))
                .isFalse();
    }

    @Test
    void record_unknownEmail_returnsFalseAndStoresNothing() {
        TrackingId unknown = new TrackingId("unknown");

        boolean stored = store.record(new OpenEvent(unknown, SENT, "192.0.2.1", "Mail"));

        assertThat(stored).isFalse();
        assertThat(store.status(unknown, Page.NEWEST)).isEmpty();
    }

    @Test
    void recordAsync_completesOnceTheEventIsStored() throws Exception {
        TrackedEmail email = email(campaign("alice"), SENT);
        TrackingId id = email.trackingId();

        List<CompletableFuture<Boolean>> stages = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            stages.add(
                    store.recordAsync(new OpenEvent(id, SENT.plusSeconds(i), "192.0.2.1", "Mail"))
                            .toCompletableFuture());
        }

        for (CompletableFuture<Boolean> stage : stages) {
            assertThat(stage.get(30, TimeUnit.SECONDS)).isTrue();
        }
        EmailStatus status = store.status(id, Page.NEWEST).orElseThrow();
        assertThat(status.counters().openCount()).isEqualTo(50);
        assertThat(status.counters().lastOpenAt()).isEqualTo(SENT.plusSeconds(49));
    }

    @Test
    void recordAsync_unknownEmail_completesWithFalseAndStoresNothing() throws Exception {
        TrackingId unknown = new TrackingId("unknown");

        CompletionStage<Boolean> stored =
                store.recordAsync(new OpenEvent(unknown, SENT, "192.0.2.1", "Mail"));

        assertThat(stored.toCompletableFuture().get(30, TimeUnit.SECONDS)).isFalse();
        assertThat(store.status(unknown, Page.NEWEST)).isEmpty();
    }

    @Test
    void status_newEmail_hasNoCountsAndNoEvents() {
        TrackedEmail email = email(campaign("alice"), SENT);

        EmailStatus status = store.status(email.trackingId(), Page.NEWEST).orElseThrow();

        assertThat(status.email()).isEqualTo(email);
        assertThat(status.counters()).isEqualTo(EmailCounters.NONE);
        assertThat(status.opens()).isEmpty();
        assertThat(status.clicks()).isEmpty();
        assertThat(status.attachments()).isEmpty();
    }

    @Test
    void status_afterOpens_countsThemAndKeepsFirstAndLast() {
        TrackingId id = email(campaign("alice"), SENT).trackingId();
        OpenEvent first = new OpenEvent(id, SENT.plusSeconds(60), "192.0.2.1", "Mail/1.0");
        OpenEvent second = new OpenEvent(id, SENT.plusSeconds(3600), null, null);

        assertThat(store.record(first)).isTrue();
        assertThat(store.record(second)).isTrue();
        EmailStatus status = store.status(id, Page.NEWEST).orElseThrow();

        assertThat(status.counters().openCount()).isEqualTo(2);
        assertThat(status.counters().firstOpenAt()).isEqualTo(first.at());
        assertThat(status.counters().lastOpenAt()).isEqualTo(second.at());
        assertThat(status.opens()).containsExactly(first, second);
    }

    @Test
    void status_afterClicks_countsThemAndKeepsTheFirst() {
        TrackingId id = email(campaign("alice"), SENT).trackingId();
        ClickEvent click = new ClickEvent(id, SENT.plusSeconds(90), "https://e.com/p", "::1", "UA");

        store.record(click);
        store.record(new ClickEvent(id, SENT.plusSeconds(95), "https://e.com/q", null, null));
        EmailStatus status = store.status(id, Page.NEWEST).orElseThrow();

        assertThat(status.counters().clickCount()).isEqualTo(2);
        assertThat(status.counters().firstClickAt()).isEqualTo(click.at());
        assertThat(status.clicks()).first().isEqualTo(click);
    }

    @Test
    void status_afterRepliesRemindersBouncesAndUnsubscribe_keepsTheFirstOfEach() {
        TrackingId id = email(campaign("alice"), SENT).trackingId();
        Instant t = SENT.plusSeconds(100);

        store.record(new ReplyEvent(id, t, "Thanks!", 2));
        store.record(new ReplyEvent(id, t.plusSeconds(5), null, 0));
        store.record(new ReminderEvent(id, t.plusSeconds(10)));
        store.record(new BounceEvent(id, t.plusSeconds(20), BounceType.SOFT, "mailbox full"));
        store.record(new BounceEvent(id, t.plusSeconds(30), BounceType.HARD, "no such user"));
        store.record(new UnsubscribeEvent(id, t.plusSeconds(40)));
        EmailCounters counters = store.status(id, Page.NEWEST).orElseThrow().counters();

        assertThat(counters.repliedAt()).isEqualTo(t);
        assertThat(counters.reminderSentAt()).isEqualTo(t.plusSeconds(10));
        assertThat(counters.bouncedAt()).isEqualTo(t.plusSeconds(20));
        assertThat(counters.unsubscribedAt()).isEqualTo(t.plusSeconds(40));
    }

    @Test
    void status_opensArrivingOutOfOrder_keepTheEarliestAndTheLatest() {
        TrackingId id = email(campaign("alice"), SENT).trackingId();
        List<OpenEvent> opens = new ArrayList<>();
        for (long seconds : new long[] {3600, 60, 7200, 30}) {
            opens.add(new OpenEvent(id, SENT.plusSeconds(seconds), null, null));
            store.record(opens.get(opens.size() - 1));
        }

        EmailStatus status = store.status(id, Page.NEWEST).orElseThrow();

        assertThat(status.counters().openCount()).isEqualTo(4);
        assertThat(status.counters().firstOpenAt()).isEqualTo(SENT.plusSeconds(30));
        assertThat(status.counters().lastOpenAt()).isEqualTo(SENT.plusSeconds(7200));
        assertThat(status.opens()).containsExactlyElementsOf(opens);
    }

    @Test
    void status_softBounce_setsTheBounce() {
        TrackingId id = email(campaign("alice"), SENT).trackingId();

        boolean stored =
                store.record(new BounceEvent(id, SENT.plusSeconds(5), BounceType.SOFT, "full"));
        EmailCounters counters = store.status(id, Page.NEWEST).orElseThrow().counters();

        assertThat(stored).isTrue();
        assertThat(counters.bouncedAt()).isEqualTo(SENT.plusSeconds(5));
    }

    @Test
    void campaignTotals_softThenHardBounce_countTheEmailOnce() {
        Campaign campaign = campaign("alice");
        TrackingId bounced = email(campaign, SENT).trackingId();
        TrackingId full = email(campaign, SENT).trackingId();
        email(campaign, SENT);

        store.record(new BounceEvent(bounced, SENT.plusSeconds(5), BounceType.SOFT, "full"));
        store.record(new BounceEvent(bounced, SENT.plusSeconds(60), BounceType.HARD, "no user"));
        store.record(new BounceEvent(full, SENT.plusSeconds(7), BounceType.SOFT, "full"));
        CampaignTotals totals = store.campaignTotals(campaign.id(), UTC, 10).orElseThrow();

        assertThat(totals.bounceCount()).isEqualTo(2);
        assertThat(counters(bounced).bouncedAt()).isEqualTo(SENT.plusSeconds(5));
    }

    @Test
    void status_withPage_returnsTheRequestedWindowOldestFirst() {
        TrackingId id = email(campaign("alice"), SENT).trackingId();
        List<OpenEvent> opens = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            opens.add(new OpenEvent(id, SENT.plusSeconds(i), "192.0.2." + i, null));
            store.record(opens.get(i));
        }

        EmailStatus newest = store.status(id, new Page(3, 0)).orElseThrow();
        EmailStatus before = store.status(id, new Page(3, 3)).orElseThrow();
        EmailStatus past = store.status(id, new Page(3, 10)).orElseThrow();

        assertThat(newest.opens()).containsExactlyElementsOf(opens.subList(4, 7));
        assertThat(before.opens()).containsExactlyElementsOf(opens.subList(1, 4));
        assertThat(past.opens()).isEmpty();
        assertThat(newest.counters().openCount()).isEqualTo(7);
    }

    @Test
    void status_opensOfTwoEmailsInTurn_listsEachEmailsOwnInTheOrderTheyCame() {
        Campaign campaign = campaign("alice");
        TrackingId first = email(campaign, SENT).trackingId();
        TrackingId second = email(campaign, SENT).trackingId();
        List<OpenEvent> firstOpens = new ArrayList<>();
        List<OpenEvent> secondOpens = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            TrackingId id = i % 2 == 0 ? second : first;
            OpenEvent open = new OpenEvent(id, SENT.plusSeconds(i), "192.0.2." + i, null);
            (id == first ? firstOpens : secondOpens).add(open);
            store.record(open);
        }

        EmailStatus firstStatus = store.status(first, Page.NEWEST).orElseThrow();
        EmailStatus secondStatus = store.status(second, Page.NEWEST).orElseThrow();

        assertThat(firstStatus.opens()).containsExactlyElementsOf(firstOpens);
        assertThat(secondStatus.opens()).containsExactlyElementsOf(secondOpens);
    }

    @Test
    void campaignTotals_negativeTopLinkLimit_failsNamingIt() {
        Campaign campaign = campaign("alice");

        assertThatThrownBy(() -> store.campaignTotals(campaign.id(), UTC, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("topLinkLimit must not be negative, not -1");
    }

    @Test
    void saveAttachment_storeClosedWhileTheFileIsRead_isRefused() {
        TrackingId id = email(campaign("alice"), SENT).trackingId();
        InputStream closingMidway =
                new FilterInputStream(new ByteArrayInputStream(new byte[] {1, 2, 3})) {
                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        store.close();
                        return super.read(buffer, offset, length);
                    }
                };

        assertThatThrownBy(() -> store.saveAttachment(attachment(id, "a.txt"), closingMidway))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("the store is closed");
    }

    @Test
    void campaignTotals_unknownCampaign_isEmpty() {
        assertThat(store.campaignTotals(new CampaignId("nope"), UTC, 10)).isEmpty();
    }

    @Test
    void campaignTotals_nothingSent_isAllZero() {
        Campaign campaign = campaign("alice");

        CampaignTotals totals = store.campaignTotals(campaign.id(), UTC, 10).orElseThrow();

        assertThat(totals)
                .isEqualTo(
                        new CampaignTotals(
                                0,
                                0,
                                0,
                                0,
                                0,
                                0,
                                null,
                                null,
                                0,
                                0,
                                PersonTotals.NONE,
                                0,
                                0,
                                List.of(),
                                List.of()));
    }

    @Test
    void campaignTotals_countDistinctEmailsNotEvents() {
        Campaign campaign = campaign("alice");
        TrackingId a = email(campaign, SENT).trackingId();
        TrackingId b = email(campaign, SENT).trackingId();
        email(campaign, SENT);
        email(campaign("bob"), SENT);

        open(a, 60);
        open(a, 120);
        open(b, 300);
        click(a, 600, "https://e.com/x");
        click(a, 700, "https://e.com/x");
        store.record(new ReplyEvent(b, SENT.plusSeconds(900), null, 0));
        store.record(new ReplyEvent(b, SENT.plusSeconds(901), null, 0));
        store.record(new BounceEvent(a, SENT.plusSeconds(5), BounceType.HARD, null));
        store.record(new BounceEvent(b, SENT.plusSeconds(5), BounceType.SOFT, null));
        store.record(new UnsubscribeEvent(b, SENT.plusSeconds(950)));
        store.record(new UnsubscribeEvent(b, SENT.plusSeconds(951)));
        CampaignTotals totals = store.campaignTotals(campaign.id(), UTC, 10).orElseThrow();

        assertThat(totals.sentCount()).isEqualTo(3);
        assertThat(totals.openedCount()).isEqualTo(2);
        assertThat(totals.clickedCount()).isEqualTo(1);
        assertThat(totals.repliedCount()).isEqualTo(1);
        assertThat(totals.bounceCount()).isEqualTo(2);
        assertThat(totals.unsubscribeCount()).isEqualTo(1);
    }

    @Test
    void campaignTotals_averageTimes_areMeansOfFirstEventsAfterSending() {
        Campaign campaign = campaign("alice");
        TrackingId a = email(campaign, SENT).trackingId();
        TrackingId b = email(campaign, SENT.plusSeconds(3600)).trackingId();
        email(campaign, SENT);

        open(a, 2 * 3600);
        open(a, 9 * 3600);
        open(b, 4 * 3600 + 1800);
        click(a, 3 * 3600, "https://e.com/x");
        CampaignTotals totals = store.campaignTotals(campaign.id(), UTC, 10).orElseThrow();

        assertThat(totals.averageTimeToOpen()).isEqualTo(Duration.ofMinutes(3 * 60 + 15));
        assertThat(totals.averageTimeToClick()).isEqualTo(Duration.ofHours(3));
    }

    @Test
    void campaignTotals_earlierFirstEventsArrivingLate_moveTheAverages() {
        Campaign campaign = campaign("alice");
        TrackingId a = email(campaign, SENT).trackingId();
        TrackingId b = email(campaign, SENT).trackingId();

        open(a, 4 * 3600);
        open(a, 3600);
        open(b, 2 * 3600);
        click(a, 5 * 3600, "https://e.com/x");
        click(a, 3 * 3600, "https://e.com/y");
        CampaignTotals totals = store.campaignTotals(campaign.id(), UTC, 10).orElseThrow();

        assertThat(totals.openedCount()).isEqualTo(2);
        assertThat(totals.averageTimeToOpen()).isEqualTo(Duration.ofMinutes(90));
        assertThat(totals.clickedCount()).isEqualTo(1);
        assertThat(totals.averageTimeToClick()).isEqualTo(Duration.ofHours(3));
    }

    @Test
    void campaignTotals_openBeforeSentAt_countsAsNoDelay() {
        Campaign campaign = campaign("alice");
        TrackingId id = email(campaign, SENT).trackingId();

        open(id, -600);
        CampaignTotals totals = store.campaignTotals(campaign.id(), UTC, 10).orElseThrow();

        assertThat(totals.averageTimeToOpen()).isEqualTo(Duration.ZERO);
    }

    @Test
    void campaignTotals_topLinks_orderedByClicksThenUrl_andLimited() {
        Campaign campaign = campaign("alice");
        TrackingId a = email(campaign, SENT).trackingId();
        TrackingId b = email(campaign, SENT).trackingId();

        for (String url : List.of("https://e.com/b", "https://e.com/a", "https://e.com/c")) {
            click(a, 10, url);
        }
        click(b, 20, "https://e.com/c");
        click(b, 30, "https://e.com/z");
        click(b, 40, "https://e.com/z");
        click(b, 50, "https://e.com/z");
        CampaignTotals totals = store.campaignTotals(campaign.id(), UTC, 3).orElseThrow();

        assertThat(totals.topLinks())
                .containsExactly(
                        new LinkClicks("https://e.com/z", 3),
                        new LinkClicks("https://e.com/c", 2),
                        new LinkClicks("https://e.com/a", 1));
    }

    @Test
    void campaignTotals_topLinks_tieBrokenByCodePointOrder() {
        Campaign campaign = campaign("alice");
        TrackingId id = email(campaign, SENT).trackingId();

        for (String url : List.of("https://e.com/é", "https://e.com/Z", "https://e.com/a")) {
            click(id, 10, url);
        }
        CampaignTotals totals = store.campaignTotals(campaign.id(), UTC, 10).orElseThrow();

        assertThat(totals.topLinks())
                .extracting(LinkClicks::url)
                .containsExactly("https://e.com/Z", "https://e.com/a", "https://e.com/é");
    }

    @Test
    void campaignTotals_timeline_hasOneRowPerDayWithEvents_inUtc() {
        Campaign campaign = campaign("alice");
        TrackingId id = email(campaign, SENT).trackingId();

        open(id, 0);
        open(id, 3600);
        click(id, 3600, "https://e.com/x");
        store.record(new ReplyEvent(id, SENT.plusSeconds(2 * 86_400), null, 0));
        CampaignTotals totals = store.campaignTotals(campaign.id(), UTC, 10).orElseThrow();

        assertThat(totals.timeline())
                .containsExactly(
                        new DailyEngagement(LocalDate.parse("2026-02-10"), 2, 1, 0),
                        new DailyEngagement(LocalDate.parse("2026-02-12"), 0, 0, 1));
    }

    @Test
    void campaignTotals_timeline_countsDaysInTheRequestedZone() {
        Campaign campaign = campaign("alice");
        TrackingId id = email(campaign, SENT).trackingId();
        Instant lateEveningUtc = Instant.parse("2026-02-10T23:30:00Z");

        store.record(new OpenEvent(id, lateEveningUtc, null, null));
        CampaignTotals berlin =
                store.campaignTotals(campaign.id(), ZoneId.of("Europe/Berlin"), 10).orElseThrow();
        CampaignTotals newYork =
                store.campaignTotals(campaign.id(), ZoneId.of("America/New_York"), 10)
                        .orElseThrow();

        assertThat(berlin.timeline())
                .extracting(DailyEngagement::date)
                .containsExactly(LocalDate.parse("2026-02-11"));
        assertThat(newYork.timeline())
                .extracting(DailyEngagement::date)
                .containsExactly(LocalDate.parse("2026-02-10"));
    }

    @Test
    void campaignTotals_timeline_handlesDaylightSavingDays() {
        Campaign campaign = campaign("alice");
        TrackingId id = email(campaign, Instant.parse("2026-03-28T00:00:00Z")).trackingId();
        ZoneId berlin = ZoneId.of("Europe/Berlin");

        // 2026-03-29 in Berlin has 23 hours: 2026-03-28T23:00Z to 2026-03-29T22:00Z.
        store.record(new OpenEvent(id, Instant.parse("2026-03-28T22:59:59Z"), null, null));
        store.record(new OpenEvent(id, Instant.parse("2026-03-28T23:00:00Z"), null, null));
        store.record(new OpenEvent(id, Instant.parse("2026-03-29T21:59:59Z"), null, null));
        store.record(new OpenEvent(id, Instant.parse("2026-03-29T22:00:00Z"), null, null));
        CampaignTotals totals = store.campaignTotals(campaign.id(), berlin, 10).orElseThrow();

        assertThat(totals.timeline())
                .containsExactly(
                        new DailyEngagement(LocalDate.parse("2026-03-28"), 1, 0, 0),
                        new DailyEngagement(LocalDate.parse("2026-03-29"), 2, 0, 0),
                        new DailyEngagement(LocalDate.parse("2026-03-30"), 1, 0, 0));
    }

    @Test
    void saveAttachment_thenFindAndCopy_returnsTheSameBytes() throws IOException {
        TrackingId id = email(campaign("alice"), SENT).trackingId();
        byte[] content = randomBytes(3 * 1024 * 1024 + 17);
        AttachmentInfo info = attachment(id, "contract.pdf");

        AttachmentInfo stored = store.saveAttachment(info, new ByteArrayInputStream(content));
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        boolean found = store.copyAttachment(info.id(), copy);

        assertThat(stored).isEqualTo(info.withFileSize(content.length));
        assertThat(store.findAttachment(info.id())).contains(stored);
        assertThat(found).isTrue();
        assertThat(copy.toByteArray()).isEqualTo(content);
        assertThat(store.status(id, Page.NEWEST).orElseThrow().attachments())
                .containsExactly(stored);
    }

    @Test
    void saveAttachment_emptyFile_isStored() throws IOException {
        TrackingId id = email(campaign("alice"), SENT).trackingId();
        AttachmentInfo info = attachment(id, "empty.txt");

        AttachmentInfo stored = store.saveAttachment(info, InputStream.nullInputStream());
        ByteArrayOutputStream copy = new ByteArrayOutputStream();

        assertThat(stored.fileSize()).isZero();
        assertThat(store.copyAttachment(info.id(), copy)).isTrue();
        assertThat(copy.size()).isZero();
    }

    @Test
    void saveAttachment_readFailsHalfway_storesNothing() {
        TrackingId id = email(campaign("alice"), SENT).trackingId();
        AttachmentInfo info = attachment(id, "broken.bin");
        InputStream failing = new FailingInputStream(randomBytes(600 * 1024));

        assertThatThrownBy(() -> store.saveAttachment(info, failing))
                .isInstanceOf(IOException.class)
                .hasMessage("connection reset");
        assertThat(store.findAttachment(info.id())).isEmpty();
        assertThat(store.status(id, Page.NEWEST).orElseThrow().attachments()).isEmpty();
    }

    @Test
    void saveAttachment_recipientErasedWhileTheContentIsRead_isNotFound_andStoresNothing() {
        TrackedEmail email = email(campaign("alice"), SENT);
        AttachmentInfo info = attachment(email.trackingId(), "late.bin");
        InputStream erasing =
                new FilterInputStream(new ByteArrayInputStream(randomBytes(600 * 1024))) {
                    private boolean erased;

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        int read = super.read(buffer, offset, length);
                        if (!erased) {
                            erased = true;
                            store.eraseRecipient(email.recipientEmail());
                        }
                        return read;
                    }
                };

        assertThatThrownBy(() -> store.saveAttachment(info, erasing))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("no email has tracking id " + email.trackingId());
        assertThat(store.findAttachment(info.id())).isEmpty();
    }

    @Test
    void saveAttachment_unknownEmail_isNotFound() {
        AttachmentInfo info = attachment(new TrackingId("nobody"), "a.bin");

        assertThatThrownBy(() -> store.saveAttachment(info, new ByteArrayInputStream(new byte[1])))
                .isInstanceOf(NotFoundException.class);
        assertThat(store.findAttachment(info.id())).isEmpty();
    }

    @Test
    void copyAttachment_unknownId_returnsFalseAndWritesNothing() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(store.copyAttachment(new AttachmentId("nope"), out)).isFalse();
        assertThat(out.size()).isZero();
    }

    @Test
    void textsToKeep_withNul_areRefused_andNothingIsStored() {
        Campaign named = new Campaign(new CampaignId("c-nul1"), "News\0", "alice", null, SENT);
        Campaign owned = new Campaign(new CampaignId("c-nul2"), "News", "al\0ice", null, SENT);
        Campaign tenanted = new Campaign(new CampaignId("c-nul3"), "News", "alice", "a\0", SENT);
        CampaignId campaign = campaign("alice").id();
        TrackedEmail addressed =
                new TrackedEmail(new TrackingId("t-nul1"), campaign, "a\0@e.com", SENT, "<1@x>");
        TrackedEmail identified =
                new TrackedEmail(new TrackingId("t-nul2"), campaign, "a@e.com", SENT, "<\0@x>");
        TrackedEmail linked =
                new TrackedEmail(new TrackingId("t-nul3"), campaign, "a@e.com", SENT, "<3@x>");

        assertNulRefused(() -> store.saveCampaign(named));
        assertNulRefused(() -> store.saveCampaign(owned));
        assertNulRefused(() -> store.saveCampaign(tenanted));
        assertNulRefused(() -> store.saveEmail(addressed, Set.of()));
        assertNulRefused(() -> store.saveEmail(identified, Set.of()));
        assertNulRefused(() -> store.saveEmail(linked, Set.of("https://e.com/\0")));
        assertNulRefused(() -> store.setting("key\0", () -> "value"));
        assertNulRefused(() -> store.setting("key", () -> "value\0"));

        assertThat(List.of(named, owned, tenanted))
                .allSatisfy(refused -> assertThat(store.findCampaign(refused.id())).isEmpty());
        assertThat(List.of(addressed, identified, linked))
                .allSatisfy(refused -> assertThat(store.findEmail(refused.trackingId())).isEmpty());
        assertThat(store.setting("key", () -> "kept")).isEqualTo("kept");
    }

    @Test
    void lookups_byTextsWithNul_findNothing() {
        TrackedEmail email = email(campaign("alice"), SENT, "https://e.com/a");

        assertThat(store.isLinkRegistered(email.trackingId(), "https://e.com/a\0")).isFalse();
        assertThat(store.findEmailByMessageId(email.messageId() + "\0")).isEmpty();
        assertThat(store.eraseRecipient(email.recipientEmail() + "\0")).isZero();
        assertThat(store.findEmail(email.trackingId())).contains(email);
    }

    private static void assertNulRefused(ThrowingCall call) {
        assertThatThrownBy(call::run)
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("NUL character");
    }

    @Test
    void setting_initialValueNull_isRefused_andNothingIsKept() {
        assertThatThrownBy(() -> store.setting("key", () -> null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("initial value");

        assertThat(store.setting("key", () -> "one")).isEqualTo("one");
    }

    @Test
    void nullArguments_areRefusedNamingThem() {
        TrackingId id = new TrackingId("t1");
        CampaignId campaign = new CampaignId("c1");
        AttachmentId attachment = new AttachmentId("a1");
        TrackedEmail email = new TrackedEmail(id, campaign, "a@example.com", SENT, "<m@x>");
        List<Map.Entry<String, ThrowingCall>> calls =
                List.of(
                        Map.entry("campaign", () -> store.saveCampaign(null)),
                        Map.entry("id", () -> store.findCampaign(null)),
                        Map.entry("links", () -> store.saveEmail(email, null)),
                        Map.entry("id", () -> store.findEmail(null)),
                        Map.entry("messageId", () -> store.findEmailByMessageId(null)),
                        Map.entry("url", () -> store.isLinkRegistered(id, null)),
                        Map.entry("event", () -> store.record(null)),
                        Map.entry("event", () -> store.recordAsync(null)),
                        Map.entry(
                                "link",
                                () ->
                                        store.saveEmail(
                                                email,
                                                new HashSet<>(Arrays.asList("https://a/", null)))),
                        Map.entry("page", () -> store.status(id, null)),
                        Map.entry("zone", () -> store.campaignTotals(campaign, null, 10)),
                        Map.entry("id", () -> store.findAttachment(null)),
                        Map.entry(
                                "id",
                                () -> store.copyAttachment(null, new ByteArrayOutputStream())),
                        Map.entry("out", () -> store.copyAttachment(attachment, null)),
                        Map.entry("recipientEmail", () -> store.eraseRecipient(null)),
                        Map.entry("cutoff", () -> store.deleteEventsBefore(null)),
                        Map.entry("initialValue", () -> store.setting("key", null)));

        for (Map.Entry<String, ThrowingCall> call : calls) {
            assertThatThrownBy(() -> call.getValue().run())
                    .as(call.getKey())
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage(call.getKey());
        }
    }

    /** A call to the store that may throw anything. */
    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void setting_firstValueWins() {
        String first = store.setting("key", () -> "one");
        String second = store.setting("key", () -> "two");

        assertThat(first).isEqualTo("one");
        assertThat(second).isEqualTo("one");
    }

    @Test
    void setting_concurrentCallers_allGetTheSameValue() throws Exception {
        int threads = 8;
        List<String> values = new CopyOnWriteArrayList<>();
        List<Callable<Void>> callers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String candidate = "value-" + t;
            callers.add(
                    () -> {
                        values.add(store.setting("shared", () -> candidate));
                        return null;
                    });
        }

        runAll(callers);

        assertThat(values).hasSize(threads);
        assertThat(values).containsOnly(values.get(0));
        assertThat(store.setting("shared", () -> "late")).isEqualTo(values.get(0));
    }

    @Test
    void record_concurrentWriters_loseNoEvent() throws Exception {
        Campaign campaign = campaign("alice");
        List<TrackingId> ids =
                List.of(email(campaign, SENT).trackingId(), email(campaign, SENT).trackingId());
        int threads = 8;
        int perThread = 250;
        AtomicInteger stored = new AtomicInteger();

        List<Callable<Void>> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            TrackingId id = ids.get(t % 2);
            writers.add(
                    () -> {
                        for (int i = 0; i < perThread; i++) {
                            if (store.record(new OpenEvent(id, SENT.plusSeconds(i), null, null))) {
                                stored.incrementAndGet();
                            }
                        }
                        return null;
                    });
        }
        runAll(writers);
        CampaignTotals totals = store.campaignTotals(campaign.id(), UTC, 10).orElseThrow();

        assertThat(stored.get()).isEqualTo(threads * perThread);
        long counted =
                ids.stream()
                        .mapToLong(
                                id ->
                                        store.status(id, Page.NEWEST)
                                                .orElseThrow()
                                                .counters()
                                                .openCount())
                        .sum();
        assertThat(counted).isEqualTo(threads * perThread);
        assertThat(totals.timeline())
                .singleElement()
                .extracting(DailyEngagement::opens)
                .isEqualTo((long) threads * perThread);
    }

    @Test
    void findEmailByMessageId_findsExactlyThatEmail() {
        Campaign campaign = campaign("alice");
        TrackedEmail email = email(campaign, SENT);
        email(campaign, SENT);

        assertThat(store.findEmailByMessageId(email.messageId())).contains(email);
        assertThat(store.findEmailByMessageId("<unknown@track.example.com>")).isEmpty();
        assertThat(store.findEmailByMessageId(email.messageId().toUpperCase(Locale.ROOT)))
                .isEmpty();
        assertThat(store.findEmailByMessageId("<a\u0000b@track.example.com>")).isEmpty();
    }

    @Test
    void saveEmail_messageIdOfAnotherEmail_isRefusedAsInvalidAndStoresNothing() {
        Campaign campaign = campaign("alice");
        Campaign other = campaign("bob");
        TrackedEmail email = email(campaign, SENT);
        TrackedEmail twin =
                new TrackedEmail(
                        new TrackingId("twin"),
                        other.id(),
                        "x@example.com",
                        SENT,
                        email.messageId());

        assertThatThrownBy(() -> store.saveEmail(twin, Set.of("https://e.com/twin")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("messageId is registered for another email already");
        assertThat(store.findEmail(twin.trackingId())).isEmpty();
        assertThat(store.findEmailByMessageId(email.messageId())).contains(email);
        assertThat(store.isLinkRegistered(twin.trackingId(), "https://e.com/twin")).isFalse();
        assertThat(sentCount(other)).isZero();
    }

    @Test
    void saveEmail_sameMessageIdAtOnce_storesExactlyOneAndRefusesTheOthersAsInvalid()
            throws Exception {
        Campaign campaign = campaign("alice");
        int threads = 8;
        List<Throwable> refusals = new CopyOnWriteArrayList<>();
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            TrackedEmail email =
                    new TrackedEmail(
                            new TrackingId("racer" + t),
                            campaign.id(),
                            "r@example.com",
                            SENT,
                            "<race@x>");
            tasks.add(() -> saveCollectingRefusal(email, refusals));
        }

        runAll(tasks);

        assertThat(refusals)
                .hasSize(threads - 1)
                .allSatisfy(e -> assertThat(e).isInstanceOf(InvalidRequestException.class));
        assertThat(store.findEmailByMessageId("<race@x>")).isPresent();
        assertThat(sentCount(campaign)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "-1000000000-01-01T00:00:00Z",
                "-292275055-05-16T16:47:04.192Z",
                "0000-12-31T23:59:59.999999999Z",
                "+10000-01-01T00:00:00Z"
            })
    void record_eventTimeOutsideTheYearsAStoreKeeps_isRefused_storingNothing(String time) {
        Campaign campaign = campaign("alice");
        TrackingId id = email(campaign, SENT).trackingId();
        Instant beyond = Instant.parse(time);

        assertThatThrownBy(() -> store.record(new OpenEvent(id, beyond, "192.0.2.1", "Mail")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage(
                        "the event's time "
                                + beyond
                                + " is outside what a store keeps: years 1 to 9999");
        CompletableFuture<Boolean> async =
                store.recordAsync(new OpenEvent(id, beyond, "192.0.2.1", "Mail"))
                        .toCompletableFuture();
        assertThatThrownBy(async::join).hasCauseInstanceOf(InvalidRequestException.class);
        boolean later = store.record(new OpenEvent(id, SENT.plusSeconds(60), "192.0.2.1", "Mail"));

        assertThat(later).isTrue();
        EmailStatus status = store.status(id, Page.NEWEST).orElseThrow();
        assertThat(status.counters().openCount()).isEqualTo(1);
        assertThat(status.opens()).extracting(OpenEvent::at).containsExactly(SENT.plusSeconds(60));
        assertThat(store.campaignTotals(campaign.id(), UTC, 10).orElseThrow().openCount())
                .isEqualTo(1);
    }

    @Test
    void record_eventsAtTheEarliestAndLatestTimesKept_leaveTheCampaignReadable() {
        Campaign campaign = campaign("alice");
        TrackingId early = email(campaign, SENT).trackingId();
        TrackingId late = email(campaign, SENT).trackingId();

        boolean first = store.record(new OpenEvent(early, EventTimes.EARLIEST, null, null));
        boolean last = store.record(new OpenEvent(late, EventTimes.LATEST, null, null));
        store.record(new ClickEvent(late, EventTimes.LATEST, "https://e.com/p", null, null));

        assertThat(first).isTrue();
        assertThat(last).isTrue();
        assertThat(store.status(early, Page.NEWEST).orElseThrow().counters().openCount())
                .isEqualTo(1);
        CampaignTotals totals = store.campaignTotals(campaign.id(), UTC, 10).orElseThrow();
        assertThat(totals.openCount()).isEqualTo(2);
        assertThat(totals.timeline())
                .extracting(DailyEngagement::date)
                .containsExactly(LocalDate.of(1, 1, 1), LocalDate.of(9999, 12, 31));
    }

    @Test
    void campaignTotals_delaysSummingPastTheLargestLong_stopThere_andReadsGoOn() {
        Campaign campaign = campaign("alice");
        Instant longAgo = Instant.ofEpochMilli(-4_700_000_000_000_000_000L);
        TrackingId first = email(campaign, longAgo).trackingId();
        TrackingId second = email(campaign, longAgo).trackingId();

        store.record(new OpenEvent(first, EventTimes.LATEST, null, null));
        store.record(new OpenEvent(second, EventTimes.LATEST, null, null));
        CampaignTotals totals = store.campaignTotals(campaign.id(), UTC, 10).orElseThrow();

        assertThat(totals.openedCount()).isEqualTo(2);
        assertThat(totals.averageTimeToOpen()).isEqualTo(Duration.ofMillis(Long.MAX_VALUE / 2));
        assertThat(store.status(first, Page.NEWEST).orElseThrow().counters().openCount())
                .isEqualTo(1);
    }

    @Test
    void record_replyWithAMessageIdSeenBefore_isStoredOnce() {
        Campaign campaign = campaign("alice");
        TrackingId id = email(campaign, SENT).trackingId();
        ReplyEvent reply =
                new ReplyEvent(id, SENT.plusSeconds(60), "Yes", 1, "<reply-1@mail.example>");

        boolean first = store.record(reply);
        boolean retry =
                store.record(
                        new ReplyEvent(
                                id, SENT.plusSeconds(90), "Yes", 1, "<reply-1@mail.example>"));
        store.record(
                new ReplyEvent(id, SENT.plusSeconds(120), "Again", 0, "<reply-2@mail.example>"));
        CampaignTotals totals = store.campaignTotals(campaign.id(), UTC, 10).orElseThrow();

        assertThat(first).isTrue();
        assertThat(retry).isTrue();
        assertThat(totals.repliedCount()).isEqualTo(1);
        assertThat(totals.timeline())
                .singleElement()
                .extracting(DailyEngagement::replies)
                .isEqualTo(2L);
    }

    @Test
    void record_personClickAlone_countsAsOpenedByAPerson_butNotInTheRawFigures() {
        Campaign campaign = campaign("alice");
        TrackingId id = email(campaign, SENT).trackingId();
        email(campaign, SENT);

        store.record(new ClickEvent(id, SENT.plusSeconds(1200), "https://e.com/x", null, null));
        CampaignTotals totals = store.campaignTotals(campaign.id(), UTC, 10).orElseThrow();

        assertThat(counters(id).firstOpenAt()).isNull();
        assertThat(counters(id).openCount()).isZero();
        assertThat(totals.openedCount()).isZero();
        assertThat(totals.averageTimeToOpen()).isNull();
        assertThat(totals.clickedCount()).isEqualTo(1);
        assertThat(totals.person())
                .isEqualTo(new PersonTotals(1, 1, Duration.ofMinutes(20), Duration.ofMinutes(20)));
    }

    @Test
    void record_replyAlone_countsAsOpenedByAPerson_butNotInTheRawFigures() {
        Campaign campaign = campaign("alice");
        TrackingId id = email(campaign, SENT).trackingId();
        email(campaign, SENT);

        store.record(new ReplyEvent(id, SENT.plusSeconds(600), null, 0));
        CampaignTotals totals = store.campaignTotals(campaign.id(), UTC, 10).orElseThrow();

        assertThat(counters(id).firstOpenAt()).isNull();
        assertThat(counters(id).openCount()).isZero();
        assertThat(totals.openedCount()).isZero();
        assertThat(totals.averageTimeToOpen()).isNull();
        assertThat(totals.repliedCount()).isEqualTo(1);
        assertThat(totals.person()).isEqualTo(new PersonTotals(1, 0, Duration.ofMinutes(10), null));
    }

    @Test
    void record_machineClickAlone_countsAsOpenedByNobody() {
        Campaign campaign = campaign("alice");
        TrackingId id = email(campaign, SENT).trackingId();

        store.record(
                new ClickEvent(
                        id,
                        SENT.plusSeconds(2),
                        "https://e.com/x",
                        null,
                        null,
                        Classification.machine("link-scanner")));
        CampaignTotals totals = store.campaignTotals(campaign.id(), UTC, 10).orElseThrow();

        assertThat(counters(id).firstOpenAt()).isNull();
        assertThat(totals.openedCount()).isZero();
        assertThat(totals.clickedCount()).isEqualTo(1);
        assertThat(totals.person()).isEqualTo(PersonTotals.NONE);
    }

    @Test
    void record_openAfterAPersonsClick_setsTheFirstOpenToTheOpensTime() {
        Campaign campaign = campaign("alice");
        TrackingId id = email(campaign, SENT).trackingId();

        store.record(new ClickEvent(id, SENT.plusSeconds(600), "https://e.com/x", null, null));
        store.record(new OpenEvent(id, SENT.plusSeconds(1800), null, null));
        CampaignTotals totals = store.campaignTotals(campaign.id(), UTC, 10).orElseThrow();

        assertThat(counters(id).firstOpenAt()).isEqualTo(SENT.plusSeconds(1800));
        assertThat(counters(id).lastOpenAt()).isEqualTo(SENT.plusSeconds(1800));
        assertThat(totals.openedCount()).isEqualTo(1);
        assertThat(totals.averageTimeToOpen()).isEqualTo(Duration.ofMinutes(30));
        assertThat(totals.person().openedCount()).isEqualTo(1);
        assertThat(totals.person().averageTimeToOpen()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void campaignTotals_personFigures_leaveMachinesOut_andCountProxiesAsPeople() {
        Campaign campaign = campaign("alice");
        TrackingId apple = email(campaign, SENT).trackingId();
        TrackingId gmail = email(campaign, SENT).trackingId();
        TrackingId scanned = email(campaign, SENT).trackingId();

        store.record(
                new OpenEvent(
                        apple,
                        SENT.plusSeconds(5),
                        null,
                        null,
                        Classification.machine("apple-privacy-proxy")));
        store.record(
                new OpenEvent(
                        gmail,
                        SENT.plusSeconds(3600),
                        null,
                        "GoogleImageProxy",
                        Classification.proxy("gmail-image-proxy")));
        store.record(
                new ClickEvent(
                        scanned,
                        SENT.plusSeconds(3),
                        "https://e.com/a",
                        null,
                        null,
                        Classification.machine("link-scanner")));
        store.record(
                new ClickEvent(
                        scanned,
                        SENT.plusSeconds(3),
                        "https://e.com/b",
                        null,
                        null,
                        Classification.machine("link-scanner")));
        store.record(
                new ClickEvent(scanned, SENT.plusSeconds(7200), "https://e.com/a", null, null));
        CampaignTotals totals = store.campaignTotals(campaign.id(), UTC, 10).orElseThrow();

        assertThat(totals.openedCount()).isEqualTo(2);
        assertThat(totals.averageTimeToOpen()).isEqualTo(Duration.ofMillis(1_802_500));
        assertThat(totals.openCount()).isEqualTo(2);
        assertThat(totals.clickCount()).isEqualTo(3);
        assertThat(totals.machineOpens()).isEqualTo(1);
        assertThat(totals.machineClicks()).isEqualTo(2);
        assertThat(totals.person())
                .isEqualTo(new PersonTotals(2, 1, Duration.ofMinutes(90), Duration.ofHours(2)));
        assertThat(totals.averageTimeToClick()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void status_eventsKeepTheirClassification() {
        TrackingId id = email(campaign("alice"), SENT).trackingId();
        OpenEvent open =
                new OpenEvent(
                        id,
                        SENT.plusSeconds(1),
                        "17.58.0.1",
                        "Mozilla/5.0",
                        Classification.machine("apple-privacy-proxy"));
        ClickEvent click =
                new ClickEvent(
                        id,
                        SENT.plusSeconds(2),
                        "https://e.com/",
                        null,
                        null,
                        Classification.proxy("gmail-image-proxy"));

        store.record(open);
        store.record(click);
        EmailStatus status = store.status(id, Page.NEWEST).orElseThrow();

        assertThat(status.opens()).containsExactly(open);
        assertThat(status.clicks()).containsExactly(click);
    }

    // The second upload is of another email and file, or, when sameFile, the first one again.
    @ParameterizedTest
    @CsvSource({
        "204800, 0, false",
        "204800, 5, false",
        "204800, 307200, false",
        "0, 0, false",
        "0, 307200, false",
        "0, 0, true",
        "307200, 307200, true"
    })
    void saveAttachment_idTaken_isRefused_andKeepsTheFirst(
            int firstSize, int secondSize, boolean sameFile) throws IOException {
        TrackingId first = email(campaign("alice"), SENT).trackingId();
        TrackingId second = sameFile ? first : email(campaign("bob"), SENT).trackingId();
        byte[] content = randomBytes(firstSize);
        AttachmentInfo stored =
                store.saveAttachment(
                        attachment(first, "contract.pdf"), new ByteArrayInputStream(content));
        String secondName = sameFile ? "contract.pdf" : "other.pdf";
        AttachmentInfo sameId =
                new AttachmentInfo(stored.id(), second, secondName, "application/pdf", 0, SENT);
        byte[] upload = sameFile ? content : randomBytes(secondSize);

        assertThatThrownBy(() -> store.saveAttachment(sameId, new ByteArrayInputStream(upload)))
                .isInstanceOf(StoreException.class)
                .hasMessage("an attachment with id " + stored.id() + " exists");
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        assertThat(store.copyAttachment(stored.id(), copy)).isTrue();
        assertThat(copy.toByteArray()).isEqualTo(content);
        assertThat(store.findAttachment(stored.id())).contains(stored);
        assertThat(store.status(second, Page.NEWEST).orElseThrow().attachments())
                .isEqualTo(sameFile ? List.of(stored) : List.of());
    }

    @Test
    void saveAttachment_sameIdTwiceAtOnce_storesOne_withItsOwnBytes() throws Exception {
        TrackingId first = email(campaign("alice"), SENT).trackingId();
        TrackingId second = email(campaign("bob"), SENT).trackingId();
        for (int trial = 0; trial < 10; trial++) {
            AttachmentId id = new AttachmentId("race" + trial);
            Map<TrackingId, byte[]> contents =
                    Map.of(first, randomBytes(300 * 1024 + trial), second, randomBytes(5 + trial));
            List<AttachmentInfo> stored = new CopyOnWriteArrayList<>();
            List<Exception> refused = new CopyOnWriteArrayList<>();
            List<Callable<Void>> uploads = new ArrayList<>();
            contents.forEach(
                    (email, content) ->
                            uploads.add(
                                    () -> {
                                        saveRacing(id, email, content, stored, refused);
                                        return null;
                                    }));

            runAll(uploads);

            assertThat(stored).hasSize(1);
            assertThat(refused)
                    .singleElement()
                    .satisfies(
                            e ->
                                    assertThat(e)
                                            .isInstanceOf(StoreException.class)
                                            .hasMessage("an attachment with id " + id + " exists"));
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            assertThat(store.copyAttachment(id, copy)).isTrue();
            assertThat(copy.toByteArray()).isEqualTo(contents.get(stored.get(0).trackingId()));
        }
    }

    private void saveRacing(
            AttachmentId id,
            TrackingId email,
            byte[] content,
            List<AttachmentInfo> stored,
            List<Exception> refused)
            throws IOException {
        AttachmentInfo info = new AttachmentInfo(id, email, "f.bin", "application/pdf", 0, SENT);
        try {
            stored.add(store.saveAttachment(info, new ByteArrayInputStream(content)));
        } catch (StoreException e) {
            refused.add(e);
        }
    }

    @Test
    void saveAttachment_sameNameAndBytesAgain_isARetry_andReturnsTheFirst() throws IOException {
        TrackingId id = email(campaign("alice"), SENT).trackingId();
        byte[] content = randomBytes(300 * 1024);
        AttachmentInfo first =
                store.saveAttachment(
                        attachment(id, "contract.pdf"), new ByteArrayInputStream(content));

        AttachmentInfo retry =
                store.saveAttachment(
                        attachment(id, "contract.pdf"), new ByteArrayInputStream(content));
        AttachmentInfo renamed =
                store.saveAttachment(attachment(id, "copy.pdf"), new ByteArrayInputStream(content));
        byte[] changed = content.clone();
        changed[changed.length - 1] ^= 1;
        AttachmentInfo edited =
                store.saveAttachment(
                        attachment(id, "contract.pdf"), new ByteArrayInputStream(changed));

        assertThat(retry).isEqualTo(first);
        assertThat(renamed.id()).isNotEqualTo(first.id());
        assertThat(edited.id()).isNotEqualTo(first.id());
        assertThat(store.status(id, Page.NEWEST).orElseThrow().attachments())
                .containsExactly(first, renamed, edited);
    }

    @Test
    void eraseRecipient_removesEverythingPersonal_butKeepsTheCampaignCounts() throws IOException {
        Campaign campaign = campaign("alice");
        TrackedEmail erased = email(campaign, SENT, "https://e.com/x");
        TrackedEmail kept = email(campaign, SENT);
        TrackingId id = erased.trackingId();
        open(id, 60);
        click(id, 120, "https://e.com/x");
        store.record(new ReplyEvent(id, SENT.plusSeconds(180), "private text", 1));
        open(kept.trackingId(), 90);
        AttachmentInfo file =
                store.saveAttachment(
                        attachment(id, "cv.pdf"), new ByteArrayInputStream(new byte[10]));
        CampaignTotals before = store.campaignTotals(campaign.id(), UTC, 10).orElseThrow();

        int count = store.eraseRecipient(erased.recipientEmail().toUpperCase(Locale.ROOT));

        assertThat(count).isEqualTo(1);
        assertThat(store.findEmail(id)).isEmpty();
        assertThat(store.findEmailByMessageId(erased.messageId())).isEmpty();
        assertThat(store.status(id, Page.NEWEST)).isEmpty();
        assertThat(store.isLinkRegistered(id, "https://e.com/x")).isFalse();
        assertThat(store.findAttachment(file.id())).isEmpty();
        assertThat(store.copyAttachment(file.id(), new ByteArrayOutputStream())).isFalse();
        assertThat(store.record(new OpenEvent(id, SENT.plusSeconds(999), null, null))).isFalse();
        assertThat(store.findEmail(kept.trackingId())).isPresent();
        assertThat(store.campaignTotals(campaign.id(), UTC, 10).orElseThrow())
                .usingRecursiveComparison()
                .ignoringFields("topLinks")
                .isEqualTo(before);
    }

    @Test
    void eraseRecipient_dropsTheirOwnLinksFromTopLinks_butKeepsSharedLinksAndCounts() {
        Campaign campaign = campaign("alice");
        String shared = "https://example.com/shared";
        String personal = "https://example.com/pref?email=jane.doe@example.com";
        TrackedEmail erased = email(campaign, SENT, shared, personal);
        TrackedEmail kept = email(campaign, SENT, shared);
        click(erased.trackingId(), 60, shared);
        click(erased.trackingId(), 70, personal);
        click(kept.trackingId(), 80, shared);
        click(kept.trackingId(), 90, shared);
        CampaignTotals before = store.campaignTotals(campaign.id(), UTC, 10).orElseThrow();

        store.eraseRecipient(erased.recipientEmail());
        CampaignTotals after = store.campaignTotals(campaign.id(), UTC, 10).orElseThrow();

        assertThat(before.topLinks()).extracting(LinkClicks::url).contains(personal);
        assertThat(after.topLinks()).containsExactly(new LinkClicks(shared, 3));
        assertThat(after).usingRecursiveComparison().ignoringFields("topLinks").isEqualTo(before);
        assertThat(after.clickCount()).isEqualTo(4);
        assertThat(store.isLinkRegistered(kept.trackingId(), shared)).isTrue();
    }

    @Test
    void eraseRecipient_linkOfSeveralEmailsOfTheRecipientOnly_leavesTopLinks() {
        Campaign campaign = campaign("alice");
        Campaign other = campaign("alice");
        String link = "https://example.com/pref?email=jane.doe@example.com";
        TrackedEmail first = jane(campaign, link);
        TrackedEmail second = jane(campaign, link);
        TrackedEmail elsewhere = email(other, SENT, link);
        click(first.trackingId(), 60, link);
        click(second.trackingId(), 60, link);
        click(elsewhere.trackingId(), 60, link);

        int count = store.eraseRecipient("Jane.Doe@example.com");

        assertThat(count).isEqualTo(2);
        assertThat(store.campaignTotals(campaign.id(), UTC, 10).orElseThrow().topLinks()).isEmpty();
        assertThat(store.campaignTotals(other.id(), UTC, 10).orElseThrow().topLinks())
                .containsExactly(new LinkClicks(link, 1));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "ΝΙΚΟΣ.ΠΑΠΑΣ@example.gr | νικος.παπας@example.gr | 1",
                "jose\u0301@bu\u0308cher.example | JOSÉ@xn--bcher-kva.example | 1",
                "user@example\u3002com | USER@example.com | 1",
                "İVAN@example.com | ivan@EXAMPLE.COM | 1",
                "user@straße.de | USER@xn--strae-oqa.de | 1",
                "kız@example.com | kiz@example.com | 0",
                "a+news@example.com | a@example.com | 0",
                "user@σας.example | user@σασ.example | 0",
                "user@straße.de | user@strasse.de | 0"
            })
    void eraseRecipient_erasesTheAddressAsSpelledOtherwise_andNoAddressThatLooksAlike(
            String registered, String given, int erased) {
        Campaign campaign = campaign("alice");
        TrackedEmail email =
                new TrackedEmail(
                        new TrackingId("spelled"), campaign.id(), registered, SENT, "<spelled@x>");
        store.saveEmail(email, Set.of());
        TrackedEmail other = email(campaign, SENT);

        assertThat(store.eraseRecipient(given)).isEqualTo(erased);
        assertThat(store.findEmail(email.trackingId()).isPresent()).isEqualTo(erased == 0);
        assertThat(store.findEmail(other.trackingId())).isPresent();
    }

    @Test
    void eraseRecipient_unknownAddress_erasesNothing() {
        email(campaign("alice"), SENT);

        assertThat(store.eraseRecipient("nobody@example.com")).isZero();
    }

    @Test
    void deleteEventsBefore_theFirstAndLastInstants_deleteNothingAndEverything() {
        TrackingId id = email(campaign("alice"), SENT).trackingId();
        open(id, 60);
        click(id, 120, "https://e.com/x");

        long deletedBeforeTheFirst = store.deleteEventsBefore(Instant.MIN);
        long deletedBeforeTheLast = store.deleteEventsBefore(Instant.MAX);

        assertThat(deletedBeforeTheFirst).isZero();
        assertThat(deletedBeforeTheLast).isEqualTo(2);
        assertThat(store.status(id, Page.NEWEST).orElseThrow().opens()).isEmpty();
    }

    @Test
    void deleteEventsBefore_dropsOldRows_butCountersAndReportsStay() {
        Campaign campaign = campaign("alice");
        TrackingId id = email(campaign, SENT).trackingId();
        open(id, 60);
        open(id, 86_400 * 40);
        click(id, 120, "https://e.com/x");
        store.record(new ReplyEvent(id, SENT.plusSeconds(180), "old text", 0));
        EmailCounters countersBefore = counters(id);
        CampaignTotals totalsBefore = store.campaignTotals(campaign.id(), UTC, 10).orElseThrow();

        long deleted = store.deleteEventsBefore(SENT.plusSeconds(86_400 * 30));
        EmailStatus after = store.status(id, Page.NEWEST).orElseThrow();

        assertThat(deleted).isEqualTo(3);
        assertThat(after.opens())
                .extracting(OpenEvent::at)
                .containsExactly(SENT.plusSeconds(86_400 * 40));
        assertThat(after.clicks()).isEmpty();
        assertThat(after.counters()).isEqualTo(countersBefore);
        assertThat(store.campaignTotals(campaign.id(), UTC, 10)).contains(totalsBefore);
    }

    @Test
    void cappedStore_keepsTheFirstRows_butCountsEveryEvent() throws Exception {
        try (TrackingStore capped = newStoreKeepingAtMost(3)) {
            Campaign campaign =
                    new Campaign(new CampaignId("capped"), "Capped", "alice", null, SENT);
            capped.saveCampaign(campaign);
            TrackingId id = new TrackingId("capped-email");
            capped.saveEmail(
                    new TrackedEmail(id, campaign.id(), "a@example.com", SENT, "<capped@x>"),
                    Set.of());

            for (int i = 0; i < 5; i++) {
                capped.record(new OpenEvent(id, SENT.plusSeconds(i), null, null));
                capped.record(
                        new ClickEvent(id, SENT.plusSeconds(i), "https://e.com/" + i, null, null));
            }
            EmailStatus status = capped.status(id, Page.NEWEST).orElseThrow();
            CampaignTotals totals = capped.campaignTotals(campaign.id(), UTC, 10).orElseThrow();

            assertThat(status.opens())
                    .extracting(OpenEvent::at)
                    .containsExactly(SENT, SENT.plusSeconds(1), SENT.plusSeconds(2));
            assertThat(status.clicks()).hasSize(3);
            assertThat(status.counters().openCount()).isEqualTo(5);
            assertThat(status.counters().clickCount()).isEqualTo(5);
            assertThat(status.counters().lastOpenAt()).isEqualTo(SENT.plusSeconds(4));
            assertThat(totals.openCount()).isEqualTo(5);
            assertThat(totals.topLinks()).hasSize(5);
            assertThat(totals.timeline())
                    .singleElement()
                    .extracting(DailyEngagement::opens)
                    .isEqualTo(5L);
        }
    }

    private TrackedEmail jane(Campaign campaign, String... links) {
        TrackedEmail email =
                new TrackedEmail(
                        new TrackingId("jane" + nextId),
                        campaign.id(),
                        "jane.doe@example.com",
                        SENT,
                        "<jane" + nextId++ + "@track.example.com>");
        store.saveEmail(email, Set.of(links));
        return email;
    }

    private Void saveCollectingRefusal(TrackedEmail email, List<Throwable> refusals) {
        try {
            store.saveEmail(email, Set.of());
        } catch (RuntimeException e) {
            refusals.add(e);
        }
        return null;
    }

    private long sentCount(Campaign campaign) {
        return store.campaignTotals(campaign.id(), UTC, 10).orElseThrow().sentCount();
    }

    private EmailCounters counters(TrackingId id) {
        return store.status(id, Page.NEWEST).orElseThrow().counters();
    }

    /** Stores a new campaign owned by {@code owner} and returns it. */
    protected Campaign campaign(String owner) {
        Campaign campaign =
                new Campaign(
                        new CampaignId("c" + nextId++), "Campaign " + nextId, owner, null, SENT);
        store.saveCampaign(campaign);
        return campaign;
    }

    /** Stores a new email of {@code campaign} with {@code links} and returns it. */
    protected TrackedEmail email(Campaign campaign, Instant sentAt, String... links) {
        TrackedEmail email =
                new TrackedEmail(
                        new TrackingId("t" + nextId),
                        campaign.id(),
                        "r" + nextId + "@example.com",
                        sentAt,
                        "<t" + nextId++ + "@track.example.com>");
        store.saveEmail(email, Set.of(links));
        return email;
    }

    private void open(TrackingId id, long secondsAfterSent) {
        Instant sentAt = store.findEmail(id).orElseThrow().sentAt();
        store.record(new OpenEvent(id, sentAt.plusSeconds(secondsAfterSent), null, null));
    }

    private void click(TrackingId id, long secondsAfterSent, String url) {
        Instant sentAt = store.findEmail(id).orElseThrow().sentAt();
        store.record(new ClickEvent(id, sentAt.plusSeconds(secondsAfterSent), url, null, null));
    }

    private AttachmentInfo attachment(TrackingId id, String name) {
        return new AttachmentInfo(
                new AttachmentId("a" + nextId++), id, name, "application/pdf", 0, SENT);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static void runAll(List<Callable<Void>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            for (Future<Void> done : pool.invokeAll(tasks)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Delivers some bytes, then fails as a dropped connection would. */
    private static final class FailingInputStream extends InputStream {

        private final ByteArrayInputStream start;

        FailingInputStream(byte[] start) {
            this.start = new ByteArrayInputStream(start);
        }

        @Override
        public int read() throws IOException {
            int b = start.read();
            if (b < 0) {
                throw new IOException("connection reset");
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = start.read(buffer, offset, length);
            if (n < 0) {
                throw new IOException("connection reset");
            }
            return n;
        }
    }
}
