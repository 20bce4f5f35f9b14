package io.github.emailtracking.examples;

import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.Viewer;
import io.github.emailtracking.core.EmailTracker;
import io.github.emailtracking.core.NewEmail;
import io.github.emailtracking.core.RegisteredEmail;
import io.github.emailtracking.storage.jdbc.JdbcTrackingStore;
import java.util.List;
import java.util.Map;

/**
 * What a Java mailer does before sending: create a campaign, register each email, and put the open
 * pixel and the signed click URLs into the mail. It writes to the same database as the standalone
 * server ({@code TRACKING_DB}, {@code TRACKING_PUBLIC_URL}), so the printed URLs work against that
 * server.
 *
 * <p>Run it with {@code java -cp examples/target/email-tracking-server.jar
 * io.github.emailtracking.examples.MailerExample you@example.com}.
 */
public final class MailerExample {

    private MailerExample() {}

    /** Registers one email to the address in {@code args[0]} and prints what to send. */
    public static void main(String[] args) {
        String recipient = args.length > 0 ? args[0] : "customer@example.com";
        ServerConfig config = ServerConfig.fromEnvironment(System.getenv());

        try (JdbcTrackingStore store =
                JdbcTrackingStore.builder().jdbcUrl(config.jdbcUrl()).build()) {
            EmailTracker tracker =
                    EmailTracker.builder().store(store).publicBaseUrl(config.publicUrl()).build();
            Campaign campaign = tracker.createCampaign("admin", "Welcome Campaign");
            RegisteredEmail email =
                    tracker.registerEmail(
                            Viewer.admin("admin"),
                            campaign.id().value(),
                            NewEmail.to(recipient, List.of("https://example.com/product")));

            System.out.println("campaign:    " + campaign.id());
            System.out.println("tracking id: " + email.trackingId());
            System.out.println("open pixel:  " + email.openUrl());
            for (Map.Entry<String, String> link : email.clickUrls().entrySet()) {
                System.out.println("click URL:   " + link.getValue());
                System.out.println("  for:       " + link.getKey());
            }
            System.out.println();
            System.out.println(html(email));
        }
    }

    private static String html(RegisteredEmail email) {
        String product = email.clickUrls().get("https://example.com/product").replace("&", "&amp;");
        return "<p>Hello,</p>\n<p>Welcome to our service!</p>\n"
                + "<p><a href=\""
                + product
                + "\">View Product</a></p>\n"
                + "<img src=\""
                + email.openUrl()
                + "\" width=\"1\" height=\"1\" alt=\"\">";
    }
}
