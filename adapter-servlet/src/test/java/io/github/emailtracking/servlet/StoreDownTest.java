package io.github.emailtracking.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.spi.FaultyStore;
import io.github.emailtracking.core.EmailTracker;
import io.github.emailtracking.core.RegisteredEmail;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A failing database never breaks a mail: pixels and signed clicks still answer. */
class StoreDownTest extends RouteTestSupport {

    private FaultyStore faulty;

    @Override
    EmailTracker.Builder trackerSettings() {
        faulty = new FaultyStore(store);
        return super.trackerSettings().store(faulty);
    }

    @Test
    void open_storeDown_stillAnswersTheGif_andCountsTheDrop() {
        RegisteredEmail email = registerEmail("alice");
        faulty.failWrites(true);
        faulty.failReads(true);

        HttpResponse<byte[]> response = getBytes(route(email.openUrl()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(Pixel.GIF);
        assertThat(tracker.droppedEventCount()).isEqualTo(1);
    }

    @Test
    void signedClick_storeDown_stillRedirects() {
        RegisteredEmail email = registerEmail("alice", PRODUCT);
        faulty.failWrites(true);
        faulty.failReads(true);

        HttpResponse<String> response = get(route(email.clickUrls().get(PRODUCT)));

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).contains(PRODUCT);
    }

    @Test
    void webhooksAndAdminRoutes_storeDown_answer503WithRetryAfter() {
        RegisteredEmail email = registerEmail("alice");
        faulty.failWrites(true);
        faulty.failReads(true);

        HttpResponse<String> reply = post("/reply/" + email.trackingId(), "{}");
        HttpResponse<String> status =
                get(
                        "/status/" + email.trackingId(),
                        "Authorization",
                        bearer(Tokens.owner("alice")));

        assertThat(reply.statusCode()).isEqualTo(503);
        assertThat(status.statusCode()).isEqualTo(503);
        assertThat(status.headers().firstValue("Retry-After")).isPresent();
        assertThat(json(status).get("message").asText())
                .isEqualTo("The tracking store is unavailable; try again later");
    }

    @Test
    void webhook_whoseChangeTheDatabaseDidNotConfirm_is503SayingItMayBeStored_withoutRetryAfter() {
        RegisteredEmail email = registerEmail("alice");
        faulty.leaveWritesUnconfirmed(true);

        HttpResponse<String> reply = post("/reply/" + email.trackingId(), "{}");

        assertThat(reply.statusCode()).isEqualTo(503);
        assertThat(reply.headers().firstValue("Retry-After")).isEmpty();
        assertThat(json(reply).get("message").asText()).isEqualTo(Failures.MAY_BE_STORED);
    }

    @Test
    void open_afterTheStoreRecovers_isCountedAgain() {
        RegisteredEmail email = registerEmail("alice");
        faulty.failWrites(true);
        getBytes(route(email.openUrl()));
        faulty.failWrites(false);

        getBytes(route(email.openUrl()));

        assertThat(
                        store.status(email.trackingId(), Page.NEWEST)
                                .orElseThrow()
                                .counters()
                                .openCount())
                .isEqualTo(1);
    }
}
