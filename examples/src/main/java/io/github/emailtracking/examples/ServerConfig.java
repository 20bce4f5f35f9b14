package io.github.emailtracking.examples;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The standalone server's settings, read from environment variables. Every problem is collected and
 * reported at once, so one start shows everything that needs fixing.
 *
 * @param port the port to listen on ({@code TRACKING_PORT}, default 8080)
 * @param jdbcUrl the database ({@code TRACKING_DB}: a SQLite file path or a {@code jdbc:} URL)
 * @param jwtSecret the HS256 secret for bearer tokens ({@code TRACKING_JWT_SECRET}), or empty to
 *     generate one for this run
 * @param publicUrl the base of generated links ({@code TRACKING_PUBLIC_URL})
 * @param allowedRedirectHosts hosts clicks may go to unsigned ({@code
 *     TRACKING_ALLOWED_REDIRECT_HOSTS}, comma-separated)
 * @param maxAttachmentBytes the reply attachment limit ({@code TRACKING_MAX_ATTACHMENT_BYTES})
 * @param trustProxy whether to take the client address from {@code Forwarded} / {@code
 *     X-Forwarded-For} ({@code TRACKING_TRUST_PROXY}); only behind a proxy that sets them
 */
record ServerConfig(
        int port,
        String jdbcUrl,
        Optional<byte[]> jwtSecret,
        String publicUrl,
        List<String> allowedRedirectHosts,
        long maxAttachmentBytes,
        boolean trustProxy) {

    static final String DEFAULT_DB = "./data/email-tracking.db";
    static final long DEFAULT_MAX_ATTACHMENT_BYTES = 25L * 1024 * 1024;
    static final int MIN_SECRET_BYTES = 32;

    /**
     * Reads the settings from {@code env}.
     *
     * @throws IllegalArgumentException naming every setting that is wrong
     */
    static ServerConfig fromEnvironment(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        int port = (int) number(env, "TRACKING_PORT", 8080, 0, 65_535, problems);
        String jdbcUrl = jdbcUrl(env.getOrDefault("TRACKING_DB", DEFAULT_DB));
        Optional<byte[]> secret = secret(env.get("TRACKING_JWT_SECRET"), problems);
        String publicUrl =
                env.getOrDefault("TRACKING_PUBLIC_URL", "http://localhost:" + port + "/api/track");
        List<String> hosts = list(env.get("TRACKING_ALLOWED_REDIRECT_HOSTS"));
        long maxAttachment =
                number(
                        env,
                        "TRACKING_MAX_ATTACHMENT_BYTES",
                        DEFAULT_MAX_ATTACHMENT_BYTES,
                        1,
                        Long.MAX_VALUE,
                        problems);
        boolean trustProxy =
                Boolean.parseBoolean(env.getOrDefault("TRACKING_TRUST_PROXY", "false"));

        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return new ServerConfig(port, jdbcUrl, secret, publicUrl, hosts, maxAttachment, trustProxy);
    }

    /** Returns the database for people to read: a file path, or a URL without its password. */
    String databaseDescription() {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return "SQLite " + jdbcUrl.substring("jdbc:sqlite:".length());
        }
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }

    private static String jdbcUrl(String db) {
        if (db.startsWith("jdbc:")) {
            return db;
        }
        return "jdbc:sqlite:" + Path.of(db).toAbsolutePath().normalize();
    }

    private static Optional<byte[]> secret(String value, List<String> problems) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            problems.add(
                    "TRACKING_JWT_SECRET must be at least "
                            + MIN_SECRET_BYTES
                            + " bytes (HS256 needs 256 bits), not "
                            + bytes.length);
        }
        return Optional.of(bytes);
    }

    private static long number(
            Map<String, String> env,
            String name,
            long absent,
            long min,
            long max,
            List<String> problems) {
        String value = env.get(name);
        if (value == null || value.isEmpty()) {
            return absent;
        }
        try {
            long number = Long.parseLong(value.strip());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // Reported below with the range.
        }
        problems.add(
                name
                        + " must be a whole number from "
                        + min
                        + " to "
                        + max
                        + ", not \""
                        + value
                        + "\"");
        return absent;
    }

    private static List<String> list(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
