package io.github.emailtracking.examples;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.github.emailtracking.core.EmailTracker;
import io.github.emailtracking.servlet.TrackingServlet;
import io.github.emailtracking.storage.jdbc.JdbcTrackingStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A tracking server in one process: Jetty serving every route under {@value #MOUNT}, on the
 * embedded SQLite store by default. Configured by environment variables; see {@link ServerConfig}.
 * Run it with {@code java -jar examples/target/email-tracking-server.jar}.
 */
public final class StandaloneServer implements AutoCloseable {

    /** Where the routes are served. */
    public static final String MOUNT = "/api/track";

    private static final Duration ADMIN_TOKEN_LIFETIME = Duration.ofDays(30);

    /** The store setting that keeps the token secret generated when none is configured. */
    private static final String GENERATED_SECRET_SETTING = "standalone-jwt-secret";

    private final Server jetty;
    private final JdbcTrackingStore store;
    private final int port;

    private StandaloneServer(Server jetty, JdbcTrackingStore store, int port) {
        this.jetty = jetty;
        this.store = store;
        this.port = port;
    }

    /** Starts the server with the settings of the environment, until the process is stopped. */
    public static void main(String[] args) throws Exception {
        ServerConfig config;
        try {
            config = ServerConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("The tracking server cannot start:\n" + e.getMessage());
            System.exit(2);
            return;
        }
        StandaloneServer server = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "tracking-shutdown"));
        server.jetty.join();
    }

    /** Starts a server; the caller closes it. */
    static StandaloneServer start(ServerConfig config) throws Exception {
        JdbcTrackingStore store = JdbcTrackingStore.builder().jdbcUrl(config.jdbcUrl()).build();
        try {
            return start(config, store);
        } catch (Exception e) {
            store.close();
            throw e;
        }
    }

    private static StandaloneServer start(ServerConfig config, JdbcTrackingStore store)
            throws Exception {
        EmailTracker tracker =
                EmailTracker.builder()
                        .store(store)
                        .publicBaseUrl(config.publicUrl())
                        .allowedRedirectHosts(config.allowedRedirectHosts())
                        .maxAttachmentBytes(config.maxAttachmentBytes())
                        .build();
        byte[] secret = config.jwtSecret().orElseGet(() -> storedSecret(store));
        TrackingServlet servlet =
                TrackingServlet.builder().tracker(tracker).hmacSecret(secret).build();

        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty, connectionFactory(config));
        connector.setPort(config.port());
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder("email-tracking", servlet), MOUNT + "/*");
        context.addServlet(new ServletHolder("not-found", new NotFoundServlet()), "/");
        jetty.setHandler(context);
        jetty.setStopTimeout(10_000);
        jetty.start();

        StandaloneServer server = new StandaloneServer(jetty, store, connector.getLocalPort());
        server.printBanner(config, config.jwtSecret().isEmpty() ? secret : null);
        return server;
    }

    /** Returns the port the server listens on. */
    int port() {
        return port;
    }

    /** Stops taking requests, finishes those under way, then flushes and closes the store. */
    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            System.err.println("Jetty did not stop cleanly: " + e.getMessage());
        } finally {
            store.close();
        }
    }

    private static HttpConnectionFactory connectionFactory(ServerConfig config) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        if (config.trustProxy()) {
            http.addCustomizer(new ForwardedRequestCustomizer());
        }
        return new HttpConnectionFactory(http);
    }

    private void printBanner(ServerConfig config, byte[] generatedSecret) {
        System.out.println("Email tracking server on port " + port + ", routes under " + MOUNT);
        System.out.println("  store: " + config.databaseDescription());
        System.out.println("  links in mail start with: " + config.publicUrl());
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
                            byte[] secret = new byte[ServerConfig.MIN_SECRET_BYTES];
                            new SecureRandom().nextBytes(secret);
                            return Base64.getEncoder().encodeToString(secret);
                        });
        return Base64.getDecoder().decode(encoded);
    }
}
