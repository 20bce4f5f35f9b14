package io.github.emailtracking.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.SettableClock;
import io.github.emailtracking.api.Viewer;
import io.github.emailtracking.core.EmailTracker;
import io.github.emailtracking.core.NewEmail;
import io.github.emailtracking.core.RegisteredEmail;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Opens and clicks by Apple's privacy proxy, Gmail's image proxy, a security gateway and people,
 * sent over HTTP from their own addresses (through a trusted proxy's {@code X-Forwarded-For}), and
 * what the status and the campaign report then say about them.
 */
class PeopleAndMachinesRoutesTest extends RouteTestSupport {

    private static final List<String> LINKS =
            List.of(
                    "https://shop.example.com/sale",
                    "https://shop.example.com/shoes",
                    "https://shop.example.com/unsubscribe-help");
    private static final String APPLE_PROXY = "Mozilla/5.0";
    private static final String GMAIL_PROXY =
            "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com"
                    + " GoogleImageProxy)";
    private static final String CHROME =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                    + " Chrome/122.0.0.0 Safari/537.36";
    private static final String MICROSOFT_GATEWAY = "40.107.3.4";
    private static final String AZURE = "20.42.7.9";
    private static final String OFFICE = "198.51.100.20";

    private final SettableClock clock = new SettableClock(NOW);

    @Override
    EmailTracker.Builder trackerSettings() {
        return EmailTracker.builder().store(store).clock(clock);
    }

    @Override
    TrackingTestServer serve(TrackingServlet servlet) throws Exception {
        return TrackingTestServer.startBehindProxy(servlet);
    }

    @Test
    void proxiesScannersAndPeople_areJudgedInTheStatusAndCountedApartInTheReport() {
        Campaign campaign = tracker.createCampaign("alice", "Spring sale");
        RegisteredEmail apple = register(campaign, "apple.reader@example.com");
        RegisteredEmail gmail = register(campaign, "gmail.reader@example.com");
        RegisteredEmail scanned = register(campaign, "buyer@corp.example");
        RegisteredEmail scannedOnly = register(campaign, "clerk@corp.example");

        at(Duration.ofSeconds(6));
        click(scanned, LINKS.get(0), CHROME, MICROSOFT_GATEWAY);
        at(Duration.ofMillis(6_200));
        click(scanned, LINKS.get(1), CHROME, AZURE);
        at(Duration.ofMillis(6_400));
        click(scanned, LINKS.get(2), CHROME, AZURE);
        for (int i = 0; i < LINKS.size(); i++) {
            at(Duration.ofMillis(8_000 + 150 * i));
            click(scannedOnly, LINKS.get(i), CHROME, "40.107.3.5");
        }
        at(Duration.ofSeconds(25));
        open(apple, APPLE_PROXY, "172.225.12.34");
        at(Duration.ofMinutes(45));
        click(scanned, LINKS.get(1), CHROME, OFFICE);
        at(Duration.ofHours(2));
        open(gmail, GMAIL_PROXY, "66.249.84.17");

        JsonNode appleStatus = statusAsAlice(apple);
        assertThat(judgements(appleStatus.get("opens")))
                .containsExactly(tuple("machine", "apple-privacy-proxy"));
        assertThat(appleStatus.get("opens").get(0).get("ipAddress").asText())
                .isEqualTo("172.225.12.34");
        assertThat(judgements(statusAsAlice(gmail).get("opens")))
                .containsExactly(tuple("proxy", "gmail-image-proxy"));
        JsonNode scannedStatus = statusAsAlice(scanned);
        assertThat(judgements(scannedStatus.get("clicks")))
                .containsExactly(
                        tuple("machine", "security-gateway"),
                        tuple("machine", "link-scanner"),
                        tuple("machine", "link-scanner"),
                        tuple("human", null));
        assertThat(scannedStatus.get("tracking").get("clickCount").asLong()).isEqualTo(4);
        assertThat(scannedStatus.get("tracking").get("firstOpenAt").isNull()).isTrue();
        assertThat(judgements(statusAsAlice(scannedOnly).get("clicks")))
                .containsOnly(tuple("machine", "security-gateway"))
                .hasSize(3);

        JsonNode report = campaignReport(campaign);
        assertThat(report.toString())
                .contains(
                        "\"sentCount\":4,\"openedCount\":2,\"clickedCount\":2,\"repliedCount\":0,"
                                + "\"openRate\":50.0,\"clickRate\":50.0,\"replyRate\":0.0,")
                .contains(
                        "\"averageTimeToOpen\":\"1 hour 12 seconds\","
                                + "\"averageTimeToClick\":\"7 seconds\","
                                + "\"totalOpens\":2,\"totalClicks\":7,")
                .contains(
                        "\"human\":{\"openedCount\":2,\"clickedCount\":1,\"openRate\":50.0,"
                                + "\"clickRate\":25.0,\"averageTimeToOpen\":\"1 hour 22 minutes\","
                                + "\"averageTimeToClick\":\"45 minutes\"},"
                                + "\"machine\":{\"opens\":1,\"clicks\":6}");
    }

    @Test
    void open_speculativePrefetch_isJudgedAPrefetchFromItsHeader() {
        Campaign campaign = tracker.createCampaign("alice", "Spring sale");
        RegisteredEmail email = register(campaign, "reader@example.com");
        at(Duration.ofHours(1));

        get(route(email.openUrl()), "User-Agent", CHROME, "Sec-Purpose", "prefetch");

        assertThat(judgements(statusAsAlice(email).get("opens")))
                .containsExactly(tuple("machine", "prefetch"));
    }

    @Test
    void open_forwardedIpv6InBrackets_keepsTheAddress() {
        Campaign campaign = tracker.createCampaign("alice", "Spring sale");
        RegisteredEmail email = register(campaign, "reader@example.com");
        at(Duration.ofHours(1));

        get(
                route(email.openUrl()),
                "User-Agent",
                CHROME,
                "Forwarded",
                "for=\"[2001:db8:cafe:1::17]:4711\"");

        assertThat(statusAsAlice(email).get("opens").get(0).get("ipAddress").asText())
                .isEqualTo("2001:db8:cafe:1::17");
    }

    @Test
    void open_forwardedAddressThatDoesNotParse_keepsNoAddress() {
        Campaign campaign = tracker.createCampaign("alice", "Spring sale");
        RegisteredEmail email = register(campaign, "reader@example.com");
        at(Duration.ofHours(1));

        open(email, CHROME, "300.1.1.1");

        assertThat(statusAsAlice(email).get("opens").get(0).get("ipAddress").isNull()).isTrue();
    }

    private RegisteredEmail register(Campaign campaign, String recipient) {
        return tracker.registerEmail(
                Viewer.owner("alice"), campaign.id().value(), NewEmail.to(recipient, LINKS));
    }

    /** Sets the clock to {@code afterSending} past the moment every email was sent. */
    private void at(Duration afterSending) {
        clock.set(NOW.plus(afterSending));
    }

    private void open(RegisteredEmail email, String userAgent, String address) {
        HttpResponse<String> response =
                get(route(email.openUrl()), "User-Agent", userAgent, "X-Forwarded-For", address);
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private void click(RegisteredEmail email, String link, String userAgent, String address) {
        String clickRoute = route(email.clickUrls().get(link));
        HttpResponse<String> response =
                get(clickRoute, "User-Agent", userAgent, "X-Forwarded-For", address);
        assertThat(response.statusCode()).isEqualTo(302);
    }

    private JsonNode campaignReport(Campaign campaign) {
        HttpResponse<String> response =
                get("/campaign/" + campaign.id(), "Authorization", bearer(Tokens.owner("alice")));
        assertThat(response.statusCode()).isEqualTo(200);
        return json(response).get("campaign");
    }

    private static List<Tuple> judgements(JsonNode events) {
        return StreamSupport.stream(events.spliterator(), false)
                .map(
                        event ->
                                tuple(
                                        event.get("verdict").asText(),
                                        event.get("reason").isNull()
                                                ? null
                                                : event.get("reason").asText()))
                .toList();
    }
}
