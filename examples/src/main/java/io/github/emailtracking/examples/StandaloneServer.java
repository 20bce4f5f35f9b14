package io.github.emailtracking.examples;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.github.emailtracking.api.StoreException;
import io.github.emailtracking.core.EmailTracker;
import io.github.emailtracking.servlet.TrackingServlet;
import io.github.emailtracking.servlet.jetty.SerialHttpConnectionFactory;
import io.github.emailtracking.storage.jdbc.AttachmentBlobs;
import io.github.emailtracking.storage.jdbc.JdbcTrackingStore;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tracking server in one process: Jetty serving every route under {@value #MOUNT}, on the
 * embedded SQLite store by default. Configured by environment variables; see {@link ServerConfig}.
 * Run it with {@code java -jar examples/target/email-tracking-server.jar}.
 */
public final class StandaloneServer implements AutoCloseable {

    /** Where the routes are served. */
    public static final String MOUNT = "/api/track";

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneServer.class);
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;\\s]*");
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("([^\\s:/@]+:)[^\\s/@]+@");
    private static final Duration ADMIN_TOKEN_LIFETIME = Duration.ofDays(30);

    /** How long a stop that comes while the server starts waits for the start to end. */
    static final Duration START_WAIT = Duration.ofSeconds(10);

    /** The store setting that keeps the token secret generated when none is configured. */
    private static final String GENERATED_SECRET_SETTING = "standalone-jwt-secret";

    private final Server jetty;
    private final JdbcTrackingStore store;
    private final EmailTracker tracker;
    private final int port;
    private final ScheduledExecutorService retention;

    private StandaloneServer(
            Server jetty,
            JdbcTrackingStore store,
            EmailTracker tracker,
            int port,
            ScheduledExecutorService retention) {
        this.jetty = jetty;
        this.store = store;
        this.tracker = tracker;
        this.port = port;
        this.retention = retention;
    }

    /** Starts the server with the settings of the environment, until the process is stopped. */
    public static void main(String[] args) throws Exception {
        // Before the settings are read: a misspelt one may be why they are refused.
        for (String unknown : ServerConfig.unknownSettings(System.getenv())) {
            LOG.warn("{} is not a setting of this server and is ignored; is it misspelt?", unknown);
        }
        ServerConfig config;
        try {
            config = ServerConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("The tracking server cannot start:\n" + e.getMessage());
            System.exit(2);
            return;
        }
        // Hooked before the start: a stop that comes while the server starts waits a while for it,
        // then closes it, where a hook added after the start could come too late to be added.
        CompletableFuture<StandaloneServer> started = new CompletableFuture<>();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> closeOnceStarted(started), "tracking-shutdown"));
        StandaloneServer server;
        try {
            server = start(config);
        } catch (IOException | RuntimeException e) {
            System.err.println("The tracking server cannot start:\n" + reasons(e));
            started.complete(null);
            System.exit(2);
            return;
        } catch (Exception | Error e) {
            started.complete(null);
            throw e;
        }
        started.complete(server);
        server.jetty.join();
    }

    /**
     * Closes the server once its start has ended, waiting {@link #START_WAIT} at most: a start that
     * takes longer waits for its database, and serves nothing until it ends, so it is given up.
     */
    private static void closeOnceStarted(CompletableFuture<StandaloneServer> started) {
        StandaloneServer server;
        try {
            server = started.get(START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            System.err.println(
                    "Stopped while starting: the start, which waits for its database, was given up"
                            + " after "
                            + START_WAIT.toSeconds()
                            + " s; nothing had been served");
            return;
        } catch (InterruptedException | ExecutionException e) {
            return;
        }
        if (server != null) {
            server.close();
        }
    }

    /** Starts a server; the caller closes it. */
    static StandaloneServer start(ServerConfig config) throws Exception {
        JdbcTrackingStore.Builder storeSettings =
                JdbcTrackingStore.builder().jdbcUrl(config.jdbcUrl());
        config.maxEventsPerEmail().ifPresent(storeSettings::maxEventsPerEmail);
        config.maxUnfoldedOpens().ifPresent(storeSettings::maxUnfoldedOpens);
        config.attachmentDirectory()
                .map(AttachmentBlobs::inDirectory)
                .ifPresent(storeSettings::attachmentBlobs);
        JdbcTrackingStore store;
        try {
            store = storeSettings.build();
        } catch (StoreException e) {
            throw new IOException("TRACKING_DB: " + e.getMessage(), e);
        }
        try {
            return start(config, store);
        } catch (Exception e) {
            store.close();
            throw e;
        }
    }

    private static StandaloneServer start(ServerConfig config, JdbcTrackingStore store)
            throws Exception {
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty, connectionFactory(config));
        connector.setPort(config.port());
        config.host().ifPresent(connector::setHost);
        jetty.addConnector(connector);
        // Bound now, so that links name the port chosen when TRACKING_PORT is 0.
        try {
            connector.open();
        } catch (IOException | RuntimeException e) {
            throw new IOException(
                    "could not listen on "
                            + config.host().orElse("every interface")
                            + ", port "
                            + config.port()
                            + " (TRACKING_HOST, TRACKING_PORT)",
                    e);
        }
        try {
            return start(config, store, jetty, connector);
        } catch (Exception e) {
            connector.close();
            throw e;
        }
    }

    private static StandaloneServer start(
            ServerConfig config, JdbcTrackingStore store, Server jetty, ServerConnector connector)
            throws Exception {
        String publicUrl = config.publicUrlOn(connector.getLocalPort());
        EmailTracker tracker =
                EmailTracker.builder()
                        .store(store)
                        .publicBaseUrl(publicUrl)
                        .allowedRedirectHosts(config.allowedRedirectHosts())
                        .maxAttachmentBytes(config.maxAttachmentBytes())
                        .ipAddressPolicy(config.ipAddresses())
                        .collapseRepeatedOpens(config.collapseOpens())
                        .classifier(config.classifier())
                        .build();
        byte[] generated = config.tokens().generatesSecret() ? storedSecret(store) : null;
        TrackingServlet.Builder servlet = TrackingServlet.builder().tracker(tracker);
        config.tokens().applyTo(servlet, generated);
        config.webhookSecret().ifPresent(servlet::webhookSecret);

        JsonErrorHandler errors = new JsonErrorHandler();
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.setErrorHandler(errors);
        ServletHolder tracking = new ServletHolder("email-tracking", servlet.build());
        // The open route then waits for the store's commit without holding a thread.
        tracking.setAsyncSupported(true);
        context.addServlet(tracking, MOUNT + "/*");
        context.addServlet(new ServletHolder("not-found", new NotFoundServlet()), "/");
        jetty.setHandler(new StoppingHandler(context));
        jetty.setErrorHandler(errors);
        jetty.setStopTimeout(10_000);
        jetty.start();

        StandaloneServer server =
                new StandaloneServer(
                        jetty,
                        store,
                        tracker,
                        connector.getLocalPort(),
                        retention(config, tracker));
        server.printBanner(config, publicUrl, generated);
        return server;
    }

    /**
     * Makes a stop wait for the requests under way, and answers those that arrive meanwhile with a
     * 503 that says to send them again.
     */
    private static final class StoppingHandler extends GracefulHandler {

        StoppingHandler(Handler handler) {
            super(handler);
        }

        @Override
        protected void handleShutdownRejection(
                Request request, Response response, Callback callback) {
            Response.writeError(
                    request,
                    response,
                    callback,
                    HttpStatus.SERVICE_UNAVAILABLE_503,
                    JsonErrorHandler.STOPPING);
        }
    }

    /** Returns the port the server listens on. */
    int port() {
        return port;
    }

    /**
     * Stops taking requests, finishes those under way, then flushes and closes the store; and says
     * how many events were not stored since the start because the store failed, when there were any
     * (the log warns of them at most once a minute).
     */
    @Override
    public void close() {
        if (retention != null) {
            retention.shutdownNow();
        }
        try {
            jetty.stop();
        } catch (TimeoutException e) {
            System.err.println(
                    "Requests were still under way when the stop timeout of "
                            + jetty.getStopTimeout() / 1000
                            + " s passed; they were cut off");
        } catch (Exception e) {
            System.err.println("Jetty did not stop cleanly: " + e);
        } finally {
            store.close();
        }
        long dropped = tracker.droppedEventCount();
        if (dropped > 0) {
            System.err.println(droppedEvents(dropped, tracker.unconfirmedEventCount()));
        }
    }

    /** Returns the line printed at stop when the store failed to store some events. */
    static String droppedEvents(long dropped, long unconfirmed) {
        String line =
                dropped + " event(s) were not stored since the start, because the store failed";
        if (unconfirmed == 0) {
            return line;
        }
        return line
                + "; the database did not confirm "
                + unconfirmed
                + " of them, which it may have stored all the same";
    }

    /** Deletes raw events past the retention period now and then every day, when one is set. */
    private static ScheduledExecutorService retention(ServerConfig config, EmailTracker tracker) {
        if (config.retention().isEmpty()) {
            return null;
        }
        Duration period = config.retention().get();
        ScheduledExecutorService scheduler =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, "tracking-retention");
                            thread.setDaemon(true);
                            return thread;
                        });
        scheduler.scheduleWithFixedDelay(
                () -> deleteOldEvents(tracker, period), 0, 1, TimeUnit.DAYS);
        return scheduler;
    }

    /** Returns a whole number of days in words, such as "1 day" or "30 days". */
    static String days(Duration period) {
        long days = period.toDays();
        return days == 1 ? "1 day" : days + " days";
    }

    private static void deleteOldEvents(EmailTracker tracker, Duration period) {
        try {
            long deleted = tracker.deleteEventsOlderThan(period);
            LOG.info("Deleted {} event rows older than {}", deleted, days(period));
        } catch (RuntimeException e) {
            LOG.warn("Could not delete old events; will try again tomorrow: {}", e.getMessage());
        }
    }

    private static HttpConnectionFactory connectionFactory(ServerConfig config) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        config.proxyHeader().ifPresent(header -> http.addCustomizer(new ProxyForwarding(header)));
        return new SerialHttpConnectionFactory(http);
    }

    /**
     * Returns the message of a failure and of each of its causes, one a line and each once, with
     * any password that a database URL (and so a driver's message) may carry hidden.
     */
    static String reasons(Throwable failure) {
        StringBuilder reasons = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() == null) {
                // A class name tells a person nothing the line before has not said.
                continue;
            }
            String message = withoutPasswords(t.getMessage());
            if (reasons.indexOf(message) < 0) {
                reasons.append(reasons.isEmpty() ? "" : "\n").append(message);
            }
        }
        return reasons.isEmpty() ? failure.getClass().getSimpleName() : reasons.toString();
    }

    private static String withoutPasswords(String message) {
        String withoutParameter = PASSWORD_PARAMETER.matcher(message).replaceAll("$1***");
        return USER_INFO_PASSWORD.matcher(withoutParameter).replaceAll("$1***@");
    }

    private void printBanner(ServerConfig config, String publicUrl, byte[] generatedSecret) {
        System.out.println("Email tracking server on port " + port + ", routes under " + MOUNT);
        System.out.println("  store: " + config.databaseDescription());
        System.out.println("  links in mail start with: " + publicUrl);
        if (config.retention().isPresent()) {
            System.out.println("  raw events kept for " + days(config.retention().get()));
        }
        if (generatedSecret != null) {
            System.out.println(
                    "  TRACKING_JWT_SECRET is not set: tokens are signed with a random secret kept"
                            + " in the store.");
            System.out.println(
                    "  Admin token (valid "
                            + ADMIN_TOKEN_LIFETIME.toDays()
                            + " days): "
                            + adminToken(generatedSecret));
        }
    }

    private static String adminToken(byte[] secret) {
        return JWT.create()
                .withSubject("admin")
                .withArrayClaim("roles", new String[] {"admin"})
                .withIssuedAt(Instant.now())
                .withExpiresAt(Instant.now().plus(ADMIN_TOKEN_LIFETIME))
                .sign(Algorithm.HMAC256(secret));
    }

    /**
     * Returns the token secret kept in the store, made on the first start, so that a printed admin
     * token keeps working after a restart.
     */
    private static byte[] storedSecret(JdbcTrackingStore store) {
        String encoded =
                store.setting(
                        GENERATED_SECRET_SETTING,
                        () -> {
                            byte[] secret = new byte[TokenConfig.MIN_SECRET_BYTES];
                            new SecureRandom().nextBytes(secret);
                            return Base64.getEncoder().encodeToString(secret);
                        });
        return Base64.getDecoder().decode(encoded);
    }
}
