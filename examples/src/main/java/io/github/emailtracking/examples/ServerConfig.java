package io.github.emailtracking.examples;

import io.github.emailtracking.core.EmailTracker;
import io.github.emailtracking.core.EventClassifier;
import io.github.emailtracking.core.IpAddressPolicy;
import io.github.emailtracking.servlet.TrackingServlet;
import io.github.emailtracking.storage.jdbc.AttachmentBlobs;
import io.github.emailtracking.storage.jdbc.JdbcTrackingStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standalone server's settings, read from environment variables (the README has the table).
 * Every problem is collected and reported at once, so one start shows everything to fix.
 *
 * @param port the port to listen on ({@code TRACKING_PORT})
 * @param host the address to listen on ({@code TRACKING_HOST}), such as {@code 127.0.0.1}; empty
 *     for every interface
 * @param jdbcUrl the database ({@code TRACKING_DB}: a SQLite file path or a {@code jdbc:} URL)
 * @param publicUrl the base of generated links ({@code TRACKING_PUBLIC_URL}), by default on the
 *     configured port of localhost
 * @param publicUrlGiven whether {@code TRACKING_PUBLIC_URL} was set
 * @param tokens how bearer tokens are checked ({@code TRACKING_JWT_*}, {@code TRACKING_JWKS_URL},
 *     {@code TRACKING_TENANT_CLAIM})
 * @param allowedRedirectHosts hosts clicks may go to unsigned ({@code
 *     TRACKING_ALLOWED_REDIRECT_HOSTS}, comma-separated)
 * @param maxAttachmentBytes the reply attachment limit ({@code TRACKING_MAX_ATTACHMENT_BYTES})
 * @param proxyHeader the header that the proxy in front of the server tells the client address in,
 *     read from its last entry, if any ({@code TRACKING_TRUST_PROXY}: {@code true} for {@code
 *     X-Forwarded-For}, or {@code forwarded}); only behind one proxy that writes it
 * @param webhookSecret the secret webhooks must send, if any ({@code TRACKING_WEBHOOK_SECRET})
 * @param ipAddresses how much of client addresses to keep ({@code TRACKING_IP_ADDRESSES})
 * @param retention how long raw events are kept, if limited ({@code TRACKING_RETENTION_DAYS})
 * @param collapseOpens the window repeated opens are collapsed in, zero for off ({@code
 *     TRACKING_COLLAPSE_OPENS_SECONDS})
 * @param maxEventsPerEmail open and click rows kept per email, if capped ({@code
 *     TRACKING_MAX_EVENTS_PER_EMAIL})
 * @param maxUnfoldedOpens the opens the store's journal may hold under load, if not the store's
 *     default ({@code TRACKING_MAX_UNFOLDED_OPENS})
 * @param attachmentDirectory where the bytes of reply attachments are kept as files, if not in the
 *     database ({@code TRACKING_ATTACHMENT_DIR})
 * @param classifier how opens and clicks are judged: the built-in rules, after those of the file
 *     {@code TRACKING_CLASSIFIER_RULES} when set
 */
record ServerConfig(
        int port,
        Optional<String> host,
        String jdbcUrl,
        String publicUrl,
        boolean publicUrlGiven,
        TokenConfig tokens,
        List<String> allowedRedirectHosts,
        long maxAttachmentBytes,
        Optional<ProxyForwarding.Header> proxyHeader,
        Optional<String> webhookSecret,
        IpAddressPolicy ipAddresses,
        Optional<Duration> retention,
        Duration collapseOpens,
        Optional<Integer> maxEventsPerEmail,
        Optional<Integer> maxUnfoldedOpens,
        Optional<Path> attachmentDirectory,
        EventClassifier classifier) {

    static final String DEFAULT_DB = "./data/email-tracking.db";

    private static final String SQLITE_PREFIX = "jdbc:sqlite:";
    // Two letters at least: a Windows path starts with a drive letter and a colon.
    private static final Pattern URL_SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]+):");
    // Up to 18 digits, so that every such number fits a long.
    private static final Pattern ASCII_NUMBER = Pattern.compile("[0-9]{1,18}");
    static final long DEFAULT_MAX_ATTACHMENT_BYTES = 25L * 1024 * 1024;

    /** Every variable the server reads, as the README's table lists them. */
    static final Set<String> SETTINGS =
            Set.of(
                    "TRACKING_PORT",
                    "TRACKING_HOST",
                    "TRACKING_DB",
                    "TRACKING_PUBLIC_URL",
                    "TRACKING_JWT_SECRET",
                    "TRACKING_JWT_ALGORITHM",
                    "TRACKING_JWT_PUBLIC_KEY",
                    "TRACKING_JWKS_URL",
                    "TRACKING_JWT_ISSUER",
                    "TRACKING_JWT_AUDIENCE",
                    "TRACKING_JWT_LEEWAY_SECONDS",
                    "TRACKING_TENANT_CLAIM",
                    "TRACKING_ALLOWED_REDIRECT_HOSTS",
                    "TRACKING_MAX_ATTACHMENT_BYTES",
                    "TRACKING_ATTACHMENT_DIR",
                    "TRACKING_TRUST_PROXY",
                    "TRACKING_WEBHOOK_SECRET",
                    "TRACKING_IP_ADDRESSES",
                    "TRACKING_RETENTION_DAYS",
                    "TRACKING_COLLAPSE_OPENS_SECONDS",
                    "TRACKING_MAX_EVENTS_PER_EMAIL",
                    "TRACKING_MAX_UNFOLDED_OPENS",
                    "TRACKING_CLASSIFIER_RULES");

    /**
     * Returns the variables named like the server's settings that it does not read, in order: most
     * likely misspelt ones, which would otherwise leave their setting at its default unnoticed.
     */
    static List<String> unknownSettings(Map<String, String> env) {
        return env.keySet().stream()
                .filter(name -> name.startsWith("TRACKING_") && !SETTINGS.contains(name))
                .sorted()
                .toList();
    }

    /**
     * Reads the settings from {@code env}.
     *
     * @throws IllegalArgumentException naming every setting that is wrong
     */
    static ServerConfig fromEnvironment(Map<String, String> env) {
        Settings settings = new Settings(env);
        int port = (int) settings.number("TRACKING_PORT", 8080, 0, 65_535);
        ServerConfig config =
                new ServerConfig(
                        port,
                        host(settings),
                        jdbcUrl(settings, settings.text("TRACKING_DB").map(String::strip)),
                        settings.text("TRACKING_PUBLIC_URL").orElse(defaultPublicUrl(port)),
                        settings.text("TRACKING_PUBLIC_URL").isPresent(),
                        TokenConfig.fromEnvironment(settings),
                        settings.list("TRACKING_ALLOWED_REDIRECT_HOSTS"),
                        settings.number(
                                "TRACKING_MAX_ATTACHMENT_BYTES",
                                DEFAULT_MAX_ATTACHMENT_BYTES,
                                1,
                                EmailTracker.MAX_ATTACHMENT_LIMIT),
                        proxyHeader(settings),
                        settings.text("TRACKING_WEBHOOK_SECRET"),
                        ipAddresses(settings),
                        settings.optionalNumber("TRACKING_RETENTION_DAYS", 1, 36_500)
                                .map(Duration::ofDays),
                        Duration.ofSeconds(
                                settings.number("TRACKING_COLLAPSE_OPENS_SECONDS", 0, 0, 86_400)),
                        settings.optionalNumber("TRACKING_MAX_EVENTS_PER_EMAIL", 1, 1_000_000)
                                .map(Long::intValue),
                        settings.optionalNumber("TRACKING_MAX_UNFOLDED_OPENS", 1, 100_000_000)
                                .map(Long::intValue),
                        attachmentDirectory(settings),
                        classifier(settings));
        checkWithTheLibrary(config, settings);
        settings.failOnProblems();
        return config;
    }

    /**
     * Returns the base of generated links for a server bound to {@code boundPort}: the configured
     * one, or by default localhost on that port (which differs from the configured port when that
     * is 0).
     */
    String publicUrlOn(int boundPort) {
        return publicUrlGiven ? publicUrl : defaultPublicUrl(boundPort);
    }

    private static String defaultPublicUrl(int port) {
        return "http://localhost:" + port + "/api/track";
    }

    /**
     * Returns the database for people to read: a file path, or a URL, without a query, which may
     * hold a password.
     */
    String databaseDescription() {
        int query = jdbcUrl.indexOf('?');
        String withoutQuery = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        if (withoutQuery.startsWith("jdbc:sqlite:")) {
            return "SQLite " + absolute(withoutQuery.substring("jdbc:sqlite:".length()));
        }
        return withoutQuery;
    }

    /**
     * Returns a relative file path as the absolute one the driver opens, from the working folder,
     * which a reader of the description may not know; a {@code file:} URI or an in-memory database
     * as it is.
     */
    private static String absolute(String path) {
        if (path.isEmpty() || path.startsWith("file:") || path.startsWith(":memory:")) {
            return path;
        }
        try {
            return Path.of(path).toAbsolutePath().toString();
        } catch (InvalidPathException e) {
            return path;
        }
    }

    /**
     * Returns the JDBC URL of {@code TRACKING_DB}: as it is when it is one, else that of the SQLite
     * file it names. A URL of another kind, such as {@code postgresql://host/db} or {@code
     * sqlite:/data/t.db}, is a mistake rather than a file name. So is an SQLite file in a folder
     * that does not exist: the server makes the folder of its default file only, so that a typing
     * mistake does not start it on a new, empty database.
     *
     * @return the URL, or null when the value is a problem, which is noted
     */
    private static String jdbcUrl(Settings settings, Optional<String> given) {
        String db = given.orElse(DEFAULT_DB);
        if (db.startsWith("jdbc:")) {
            if (db.startsWith(SQLITE_PREFIX)) {
                String file = db.substring(SQLITE_PREFIX.length()).split("\\?", 2)[0];
                requireFolder(settings, file.startsWith("file:") ? file.substring(5) : file);
            }
            return db;
        }
        Matcher scheme = URL_SCHEME.matcher(db);
        if (scheme.lookingAt()) {
            // Only the scheme is repeated: the rest may hold a password.
            settings.problem(
                    "TRACKING_DB must be an SQLite file path or a jdbc: URL such as"
                            + " jdbc:postgresql://host/db, not a "
                            + scheme.group(1)
                            + ": URL");
            return null;
        }
        if (db.indexOf('?') >= 0) {
            settings.problem(
                    "TRACKING_DB must not hold a '?' in its file path: the SQLite driver would read"
                            + " what follows as settings");
            return null;
        }
        try {
            Path file = Path.of(db).toAbsolutePath().normalize();
            if (given.isPresent()) {
                requireFolder(settings, file.toString());
            }
            return SQLITE_PREFIX + file;
        } catch (InvalidPathException e) {
            settings.problem("TRACKING_DB is not a file path: " + e.getReason());
            return null;
        }
    }

    /**
     * Notes a problem when the folder of an SQLite file given in {@code TRACKING_DB} is missing.
     */
    private static void requireFolder(Settings settings, String file) {
        Path folder;
        try {
            folder = Path.of(file).toAbsolutePath().normalize().getParent();
        } catch (InvalidPathException e) {
            // The driver names what is wrong with the path when it opens it.
            return;
        }
        if (folder != null && !Files.isDirectory(folder)) {
            settings.problem(
                    "TRACKING_DB names a file in "
                            + folder
                            + ", which is not a folder that exists; create it first");
        }
    }

    /**
     * Returns the header {@code TRACKING_TRUST_PROXY} names: none for {@code false}, {@code
     * X-Forwarded-For} for {@code true} or its own name, and {@code Forwarded} for its name.
     */
    private static Optional<ProxyForwarding.Header> proxyHeader(Settings settings) {
        String value = settings.text("TRACKING_TRUST_PROXY").orElse("false").strip();
        switch (value.toLowerCase(Locale.ROOT)) {
            case "false":
                return Optional.empty();
            case "true", "x-forwarded-for":
                return Optional.of(ProxyForwarding.Header.X_FORWARDED_FOR);
            case "forwarded":
                return Optional.of(ProxyForwarding.Header.FORWARDED);
            default:
                settings.problem(
                        "TRACKING_TRUST_PROXY must be false, true (the same as x-forwarded-for) or"
                                + " forwarded, not \""
                                + value
                                + "\"");
                return Optional.empty();
        }
    }

    /**
     * Returns the attachment directory, created if missing, when one is set and a file can be
     * written in it: otherwise every upload would fail once the server runs.
     */
    private static Optional<Path> attachmentDirectory(Settings settings) {
        Optional<String> name = settings.text("TRACKING_ATTACHMENT_DIR");
        if (name.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path directory = Path.of(name.get());
            // Created, when missing, for the server's user only, as the store creates it.
            AttachmentBlobs.inDirectory(directory);
            Files.delete(Files.createTempFile(directory, ".write-check-", ""));
            return Optional.of(directory);
        } catch (IOException | UncheckedIOException | InvalidPathException e) {
            settings.problem(
                    "TRACKING_ATTACHMENT_DIR "
                            + name.get()
                            + " is not a directory the server can create or use");
            return Optional.empty();
        }
    }

    private static Optional<String> host(Settings settings) {
        Optional<String> host = settings.text("TRACKING_HOST").map(String::strip);
        if (host.isPresent() && host.get().matches(".*\\s.*")) {
            settings.problem(
                    "TRACKING_HOST must be an address or a host name such as 127.0.0.1, or unset"
                            + " for every interface");
            return Optional.empty();
        }
        return host;
    }

    private static IpAddressPolicy ipAddresses(Settings settings) {
        String value = settings.text("TRACKING_IP_ADDRESSES").orElse("full");
        try {
            return IpAddressPolicy.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            settings.problem(
                    "TRACKING_IP_ADDRESSES must be full, truncated or none, not \"" + value + "\"");
            return IpAddressPolicy.FULL;
        }
    }

    /**
     * Tries the settings the library checks itself on its builders, so that their problems are
     * reported with the others, under the variables' names.
     */
    private static void checkWithTheLibrary(ServerConfig config, Settings settings) {
        if (config.publicUrlGiven()) {
            // The default names the port bound at start, which TRACKING_PORT=0 leaves to choose.
            settings.check(
                    "TRACKING_PUBLIC_URL",
                    () -> EmailTracker.builder().publicBaseUrl(config.publicUrl()));
        }
        settings.check(
                "TRACKING_ALLOWED_REDIRECT_HOSTS",
                () -> EmailTracker.builder().allowedRedirectHosts(config.allowedRedirectHosts()));
        config.webhookSecret()
                .ifPresent(
                        secret ->
                                settings.check(
                                        "TRACKING_WEBHOOK_SECRET",
                                        () -> TrackingServlet.builder().webhookSecret(secret)));
        if (config.jdbcUrl() != null) {
            settings.check(
                    "TRACKING_DB", () -> JdbcTrackingStore.builder().jdbcUrl(config.jdbcUrl()));
        }
        checkKeySetFile(config.tokens(), settings);
        checkPublicKey(config.tokens(), settings);
    }

    /** Gives a PEM key to the servlet as the server will, so that a weak key is reported here. */
    private static void checkPublicKey(TokenConfig tokens, Settings settings) {
        tokens.publicKey()
                .ifPresent(
                        key ->
                                settings.check(
                                        "TRACKING_JWT_PUBLIC_KEY",
                                        () -> {
                                            if (key instanceof RSAPublicKey rsa) {
                                                TrackingServlet.builder().rsaPublicKey(rsa);
                                            } else if (key instanceof ECPublicKey ec) {
                                                TrackingServlet.builder().ecPublicKey(ec);
                                            }
                                        }));
    }

    /** Reads a key set file as the servlet will, when the file is there to read. */
    private static void checkKeySetFile(TokenConfig tokens, Settings settings) {
        tokens.jwks()
                .filter(location -> "file".equals(location.getScheme()))
                .filter(file -> Files.isReadable(Path.of(file)))
                .filter(file -> List.of("RS256", "ES256").contains(tokens.algorithm()))
                .ifPresent(
                        file ->
                                settings.check(
                                        "TRACKING_JWKS_URL",
                                        () ->
                                                TrackingServlet.builder()
                                                        .jwks(file, tokens.algorithm())));
    }

    private static EventClassifier classifier(Settings settings) {
        Optional<String> file = settings.text("TRACKING_CLASSIFIER_RULES");
        if (file.isEmpty()) {
            return EventClassifier.defaults();
        }
        try (InputStream rules = Files.newInputStream(Path.of(file.get()))) {
            return EventClassifier.builder().addRules(file.get(), rules).build();
        } catch (IOException | InvalidPathException e) {
            settings.problem(
                    "TRACKING_CLASSIFIER_RULES "
                            + file.get()
                            + " cannot be read: "
                            + e.getMessage());
        } catch (IllegalArgumentException e) {
            settings.problem("TRACKING_CLASSIFIER_RULES " + file.get() + ": " + e.getMessage());
        }
        return EventClassifier.defaults();
    }

    /** Reads environment values, collecting every problem instead of stopping at the first. */
    static final class Settings {

        private final Map<String, String> env;
        private final List<String> problems = new ArrayList<>();

        Settings(Map<String, String> env) {
            this.env = env;
        }

        /**
         * Returns a setting's value; an empty one counts as unset, and one of spaces only is a
         * problem, since no setting means anything by it.
         */
        Optional<String> text(String name) {
            String value = env.get(name);
            if (value == null || value.isEmpty()) {
                return Optional.empty();
            }
            if (value.isBlank()) {
                problem(name + " holds only spaces; unset it or give it a value");
                return Optional.empty();
            }
            return Optional.of(value);
        }

        Optional<byte[]> bytes(String name, int minLength) {
            Optional<byte[]> bytes = text(name).map(v -> v.getBytes(StandardCharsets.UTF_8));
            if (bytes.isPresent() && bytes.get().length < minLength) {
                problem(
                        name
                                + " must be at least "
                                + minLength
                                + " bytes, not "
                                + bytes.get().length);
            }
            return bytes;
        }

        long number(String name, long absent, long min, long max) {
            return optionalNumber(name, min, max).orElse(absent);
        }

        Optional<Long> optionalNumber(String name, long min, long max) {
            Optional<String> value = text(name);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            // ASCII digits alone: Java would also read a sign and the digits of other scripts.
            String digits = value.get().strip();
            if (ASCII_NUMBER.matcher(digits).matches()) {
                long number = Long.parseLong(digits);
                if (number >= min && number <= max) {
                    return Optional.of(number);
                }
            }
            problem(
                    name
                            + " must be a whole number from "
                            + min
                            + " to "
                            + max
                            + ", not \""
                            + value.get()
                            + "\"");
            return Optional.empty();
        }

        List<String> list(String name) {
            return text(name)
                    .map(
                            v ->
                                    Arrays.stream(v.split(","))
                                            .map(String::strip)
                                            .filter(s -> !s.isEmpty())
                                            .toList())
                    .orElse(List.of());
        }

        void problem(String problem) {
            // A setting read twice says what is wrong with it once.
            if (!problems.contains(problem)) {
                problems.add(problem);
            }
        }

        /** Runs a check that throws {@link IllegalArgumentException}, and notes what it says. */
        void check(String name, Runnable check) {
            try {
                check.run();
            } catch (IllegalArgumentException e) {
                problem(name + ": " + e.getMessage());
            }
        }

        void failOnProblems() {
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("\n", problems));
            }
        }
    }
}
