package io.github.emailtracking.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.CampaignId;
import io.github.emailtracking.api.Classification;
import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.EmailStatus;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.TrackedEmail;
import io.github.emailtracking.api.TrackingId;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Kept events share the texts they repeat with the email and with the event kept before them, so
 * that a store of millions of opens holds each one's time and little more.
 */
class KeptEventsTest {

    private static final Instant SENT = Instant.parse("2026-03-02T09:00:00Z");
    private static final String LINK = "https://example.com/a";

    private final MemoryTrackingStore store = new MemoryTrackingStore();
    private final TrackedEmail email =
            new TrackedEmail(
                    new TrackingId("t1"), new CampaignId("c1"), "ann@example.com", SENT, "<t1@x>");

    @Test
    void opens_fromTheSameClient_shareTheirTextsWithTheEmailAndEachOther() {
        register();

        store.record(open(1, copy("192.0.2.1"), copy("Mail/1.0")));
        store.record(open(2, copy("192.0.2.1"), copy("Mail/1.0")));
        store.record(open(3, copy("192.0.2.9"), copy("Mail/1.0")));

        var opens = status().opens();
        assertThat(opens).extracting(OpenEvent::at).containsExactly(at(1), at(2), at(3));
        OpenEvent first = opens.get(0);
        OpenEvent second = opens.get(1);
        OpenEvent third = opens.get(2);
        assertThat(first.trackingId()).isSameAs(email.trackingId());
        assertThat(second.trackingId()).isSameAs(email.trackingId());
        assertThat(second.ipAddress()).isSameAs(first.ipAddress());
        assertThat(second.userAgent()).isSameAs(first.userAgent());
        assertThat(third.ipAddress()).isEqualTo("192.0.2.9").isNotSameAs(second.ipAddress());
        assertThat(third.userAgent()).isSameAs(second.userAgent());
    }

    @Test
    void clicks_fromTheSameClient_shareTheirTextsAndKeepEveryValue() {
        register();

        store.record(click(1, copy(LINK), copy("192.0.2.1"), null));
        store.record(click(2, copy(LINK), copy("192.0.2.1"), copy("Mail/1.0")));

        var clicks = status().clicks();
        ClickEvent first = clicks.get(0);
        ClickEvent second = clicks.get(1);
        assertThat(second)
                .isEqualTo(
                        new ClickEvent(
                                email.trackingId(),
                                at(2),
                                LINK,
                                "192.0.2.1",
                                "Mail/1.0",
                                Classification.HUMAN));
        assertThat(first.userAgent()).isNull();
        assertThat(second.url()).isSameAs(first.url());
        assertThat(second.ipAddress()).isSameAs(first.ipAddress());
        assertThat(second.trackingId()).isSameAs(email.trackingId());
    }

    private void register() {
        store.saveCampaign(new Campaign(email.campaignId(), "Spring", "alice", null, SENT));
        store.saveEmail(email, Set.of(LINK));
    }

    private EmailStatus status() {
        return store.status(email.trackingId(), new Page(10, 0)).orElseThrow();
    }

    /** An open with a tracking id of its own, equal to the email's but not the same object. */
    private static OpenEvent open(int minute, String ip, String userAgent) {
        return new OpenEvent(new TrackingId(copy("t1")), at(minute), ip, userAgent);
    }

    private static ClickEvent click(int minute, String url, String ip, String userAgent) {
        return new ClickEvent(
                new TrackingId(copy("t1")), at(minute), url, ip, userAgent, Classification.HUMAN);
    }

    private static Instant at(int minute) {
        return SENT.plusSeconds(60L * minute);
    }

    /** Returns a text equal to {@code text} but not the same object, as a request's would be. */
    private static String copy(String text) {
        return new String(text.toCharArray());
    }
}
