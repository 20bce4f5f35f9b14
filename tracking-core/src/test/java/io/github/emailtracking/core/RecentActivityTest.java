package io.github.emailtracking.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.emailtracking.api.TrackingId;
import io.github.emailtracking.core.RecentActivity.Recent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecentActivityTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final TrackingId EMAIL = new TrackingId("t1");
    private static final String A = "https://example.com/a";
    private static final String B = "https://example.com/b";
    private static final String C = "https://example.com/c";

    private final RecentActivity activity = new RecentActivity(Duration.ofSeconds(5));

    @Test
    void remember_firstEvents_haveNothingBefore() {
        assertThat(open(0)).isEqualTo(new Recent(null, 0));
        assertThat(activity.remember(new TrackingId("t2"), EventKind.CLICK, at(0), A))
                .isEqualTo(new Recent(null, 1));
    }

    @Test
    void remember_clickAfterTheOpen_seesTheOpen() {
        open(0);

        assertThat(click(700, A)).isEqualTo(new Recent(at(0), 1));
    }

    @Test
    void remember_sameLinkAgain_looksPastItsOwnEarlierClick() {
        open(0);
        click(10_000, A);

        Recent again = click(10_200, A);

        assertThat(again).isEqualTo(new Recent(at(0), 1));
    }

    @Test
    void remember_openAfterClicks_seesTheLatestClick() {
        click(1_000, A);
        click(1_050, B);

        assertThat(open(1_060).previousOtherEventAt()).isEqualTo(at(1_050));
    }

    @Test
    void remember_linksWithinTheWindow_areCountedOnceEach() {
        assertThat(click(0, A).distinctLinks()).isEqualTo(1);
        assertThat(click(300, B).distinctLinks()).isEqualTo(2);
        assertThat(click(600, A).distinctLinks()).isEqualTo(2);
        assertThat(click(900, B).distinctLinks()).isEqualTo(2);
        assertThat(click(1_200, C).distinctLinks()).isEqualTo(3);
    }

    @Test
    void remember_linksOutsideTheWindow_areNotCounted() {
        click(0, A);
        click(4_000, B);

        assertThat(click(5_001, C).distinctLinks()).isEqualTo(2);
        assertThat(click(5_002, A).distinctLinks()).isEqualTo(3);
    }

    @Test
    void remember_eventsArrivingOutOfOrder_areStillCounted() {
        click(2_000, A);

        Recent earlier = click(1_900, B);

        assertThat(earlier).isEqualTo(new Recent(at(2_000), 2));
    }

    @Test
    void remember_afterTwoMinutes_hasForgottenTheEmail() {
        open(0);
        click(1_000, A);

        assertThat(click(121_001, B)).isEqualTo(new Recent(null, 1));
    }

    @Test
    void remember_otherEmails_areKeptApart() {
        click(0, A);
        click(100, B);

        Recent other = activity.remember(new TrackingId("t2"), EventKind.CLICK, at(200), C);

        assertThat(other).isEqualTo(new Recent(null, 1));
    }

    @Test
    void remember_longBurst_keepsCountingFromItsLastEvents() {
        Recent last = null;
        for (int i = 0; i < 20; i++) {
            last = click(i * 10, "https://example.com/" + i);
        }

        assertThat(last.distinctLinks()).isEqualTo(Thresholds.MAX_BURST_COUNT + 1);
    }

    @Test
    void remember_pastTheLimit_forgetsTheLeastRecentlyActiveEmail() {
        open(0);
        // Twice the limit, so that every stripe, the first email's included, overflows.
        for (int i = 0; i < 2 * RecentActivity.MAX_EMAILS; i++) {
            activity.remember(new TrackingId("x" + i), EventKind.OPEN, at(1), null);
        }

        assertThat(click(2, A).previousOtherEventAt()).isNull();
    }

    @Test
    void remember_halfTheLimit_stillKnowsTheFirstEmail() {
        open(0);
        // Spread over the stripes, half the limit leaves every stripe well under its share.
        for (int i = 0; i < RecentActivity.MAX_EMAILS / 2; i++) {
            activity.remember(new TrackingId("x" + i), EventKind.OPEN, at(1), null);
        }

        assertThat(click(2, A).previousOtherEventAt()).isEqualTo(at(0));
    }

    @Test
    void stripeOf_emailsOfOneStripe_spreadOverTheBucketsOfItsMap() {
        Set<Integer> buckets = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String email = "x" + i;
            if (RecentActivity.stripeOf(email) == 0) {
                int hash = email.hashCode();
                // The bucket a map of 64 buckets picks for the email.
                buckets.add((hash ^ (hash >>> 16)) & 63);
            }
        }

        assertThat(buckets).hasSizeGreaterThan(48);
    }

    @Test
    void newActivity_windowLongerThanTheMemory_isRefused() {
        assertThatThrownBy(() -> new RecentActivity(Duration.ofMinutes(3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be from 0 to 2 minutes, not PT3M");
    }

    @Test
    void remember_clickWithoutUrl_isRefused() {
        assertThatThrownBy(() -> activity.remember(EMAIL, EventKind.CLICK, at(0), null))
                .isInstanceOf(NullPointerException.class);
    }

    private Recent open(long millis) {
        return activity.remember(EMAIL, EventKind.OPEN, at(millis), null);
    }

    private Recent click(long millis, String url) {
        return activity.remember(EMAIL, EventKind.CLICK, at(millis), url);
    }

    private static Instant at(long millis) {
        return T0.plusMillis(millis);
    }
}
