package io.github.emailtracking.benchmarks;

import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.CampaignTotals;
import io.github.emailtracking.api.DailyEngagement;
import io.github.emailtracking.api.Viewer;
import io.github.emailtracking.api.spi.TrackingStore;
import io.github.emailtracking.core.EmailTracker;
import io.github.emailtracking.core.NewEmail;
import io.github.emailtracking.servlet.TrackingServlet;
import jakarta.servlet.http.HttpServlet;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * One thing the open route is measured on: the tracking servlet on a store, with a campaign of
 * registered emails, or the bare servlet that only answers the pixel.
 */
final class OpenTarget implements AutoCloseable {

    private final String name;
    private final String description;
    private final HttpServlet servlet;
    private final List<String> trackingIds;
    private final TrackingStore store;
    private final Campaign campaign;

    private OpenTarget(
            String name,
            String description,
            HttpServlet servlet,
            List<String> trackingIds,
            TrackingStore store,
            Campaign campaign) {
        this.name = name;
        this.description = description;
        this.servlet = servlet;
        this.trackingIds = List.copyOf(trackingIds);
        this.store = store;
        this.campaign = campaign;
    }

    /** Returns the bare servlet, requested with the same ids as another target. */
    static OpenTarget bare(String name, List<String> trackingIds) {
        return new OpenTarget(
                name,
                "a servlet that only answers the same GIF",
                new BarePixelServlet(),
                trackingIds,
                null,
                null);
    }

    /**
     * Returns the tracking servlet on {@code store}, with {@code emails} registered in one campaign
     * through the tracker, as a mailer would. The target closes the store.
     */
    static OpenTarget tracked(String name, String description, TrackingStore store, int emails) {
        EmailTracker tracker =
                EmailTracker.builder()
                        .store(store)
                        .publicBaseUrl("http://127.0.0.1/" + name)
                        .build();
        byte[] tokenSecret = new byte[32];
        new SecureRandom().nextBytes(tokenSecret);
        TrackingServlet servlet =
                TrackingServlet.builder().tracker(tracker).hmacSecret(tokenSecret).build();

        Campaign campaign = tracker.createCampaign("benchmark", "Open route benchmark");
        List<String> ids = new ArrayList<>(emails);
        for (int i = 0; i < emails; i++) {
            NewEmail email = NewEmail.to("reader" + i + "@example.com", List.of());
            ids.add(
                    tracker.registerEmail(Viewer.admin("benchmark"), campaign.id().value(), email)
                            .trackingId()
                            .value());
        }
        return new OpenTarget(name, description, servlet, ids, store, campaign);
    }

    /** Returns the short name, which is also where the target is mounted. */
    String name() {
        return name;
    }

    String description() {
        return description;
    }

    HttpServlet servlet() {
        return servlet;
    }

    List<String> trackingIds() {
        return trackingIds;
    }

    /** Returns how many opens the store holds, or empty for the bare servlet. */
    OptionalLong storedOpens() {
        if (store == null) {
            return OptionalLong.empty();
        }
        CampaignTotals totals =
                store.campaignTotals(campaign.id(), ZoneOffset.UTC, 1).orElseThrow();
        return OptionalLong.of(totals.timeline().stream().mapToLong(DailyEngagement::opens).sum());
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
        }
    }
}
