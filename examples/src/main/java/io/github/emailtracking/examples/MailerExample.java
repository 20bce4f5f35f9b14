package io.github.emailtracking.examples;

import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.Viewer;
import io.github.emailtracking.core.EmailTracker;
import io.github.emailtracking.core.NewEmail;
import io.github.emailtracking.core.RegisteredEmail;
import io.github.emailtracking.storage.jdbc.JdbcTrackingStore;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * What a Java mailer does before sending: create a campaign, register each email, put the open
 * pixel and the signed click URLs into the mail, and send it with the headers that let replies and
 * unsubscribes be tracked. It writes to the same database as the standalone server ({@code
 * TRACKING_DB}, {@code TRACKING_PUBLIC_URL}), so the printed URLs work against that server.
 *
 * <p>Run it with {@code java -cp examples/target/email-tracking-server.jar
 * io.github.emailtracking.examples.MailerExample you@example.com}.
 */
public final class MailerExample {

    private MailerExample() {}

    /**
     * Registers one email to the address in {@code args[0]} and prints what to send; exits with 2,
     * saying why, when the settings, the database or the address are wrong.
     */
    public static void main(String[] args) {
        String recipient = args.length > 0 ? args[0] : "customer@example.com";
        int status = run(System.getenv(), recipient, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Registers one email with the settings of {@code environment}, printing what to send to {@code
     * out}, or why it could not to {@code err}.
     *
     * @return the exit status: 0 when registered, 2 when not
     */
    static int run(
            Map<String, String> environment, String recipient, PrintStream out, PrintStream err) {
        // As the server warns of them: a misspelt setting would leave its default unnoticed.
        for (String unknown : ServerConfig.unknownSettings(environment)) {
            err.println(unknown + " is not a setting and is ignored; is it misspelt?");
        }
        try {
            out.print(register(ServerConfig.fromEnvironment(environment), recipient));
            return 0;
        } catch (RuntimeException e) {
            err.println("The email cannot be registered:\n" + StandaloneServer.reasons(e));
            return 2;
        }
    }

    /**
     * Registers one email to {@code recipient} and returns what to send, as {@link #main} prints.
     */
    static String register(ServerConfig config, String recipient) {
        if (config.port() == 0 && !config.publicUrlGiven()) {
            throw new IllegalArgumentException(
                    "TRACKING_PORT=0 lets the server pick its port, which this program cannot know;"
                            + " set TRACKING_PUBLIC_URL to the URL the server is reached at");
        }
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
            return describe(config, campaign, email);
        }
    }

    private static String describe(ServerConfig config, Campaign campaign, RegisteredEmail email) {
        StringBuilder text = new StringBuilder();
        // A relative SQLite path is another database in another folder: say which one it was.
        text.append("store:       ").append(config.databaseDescription()).append('\n');
        text.append("campaign:    ").append(campaign.id()).append('\n');
        text.append("tracking id: ").append(email.trackingId()).append('\n');
        text.append("open pixel:  ").append(email.openUrl()).append('\n');
        for (Map.Entry<String, String> link : email.clickUrls().entrySet()) {
            text.append("click URL:   ").append(link.getValue()).append('\n');
            text.append("  for:       ").append(link.getKey()).append('\n');
        }

        // Replies are found by the Message-ID they answer, and unsubscribes come through the
        // List-Unsubscribe headers: a mail sent without them tracks neither.
        text.append("\nheaders to send the mail with:\n");
        text.append("Message-ID: ").append(email.messageId()).append('\n');
        text.append("List-Unsubscribe: ").append(email.listUnsubscribe()).append('\n');
        text.append("List-Unsubscribe-Post: ").append(email.listUnsubscribePost()).append('\n');

        text.append("\nHTML body:\n").append(html(email)).append('\n');
        return text.toString();
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
