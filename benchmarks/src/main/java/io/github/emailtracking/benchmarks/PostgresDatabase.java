package io.github.emailtracking.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL database of the run's own, named {@code et_bench_...}, dropped on close, or when the
 * run is stopped before (by Ctrl-C or a plain kill; a {@code kill -9} leaves it behind).
 */
final class PostgresDatabase implements AutoCloseable {

    private static final Pattern DATABASE_IN_URL =
            Pattern.compile("^(jdbc:postgresql://[^/]+/)([^?]*)(.*)$");

    private final String serverUrl;
    private final String name;
    private final String url;
    private final Thread dropAtExit;

    private PostgresDatabase(String serverUrl, String name, String url) {
        this.serverUrl = serverUrl;
        this.name = name;
        this.url = url;
        this.dropAtExit = new Thread(this::dropQuietly, "drop " + name);
    }

    /**
     * Creates an empty database on the server {@code serverUrl} points at.
     *
     * @throws SQLException if the server is not there or refuses
     * @throws IllegalArgumentException if the URL does not name a database
     */
    static PostgresDatabase create(String serverUrl) throws SQLException {
        Matcher parts = DATABASE_IN_URL.matcher(serverUrl);
        if (!parts.matches()) {
            throw new IllegalArgumentException(
                    "the PostgreSQL URL must look like jdbc:postgresql://host:port/database?...");
        }
        String name = "et_bench_" + UUID.randomUUID().toString().replace("-", "");
        execute(serverUrl, "CREATE DATABASE " + name);
        PostgresDatabase database =
                new PostgresDatabase(serverUrl, name, parts.group(1) + name + parts.group(3));
        Runtime.getRuntime().addShutdownHook(database.dropAtExit);
        return database;
    }

    /** Returns the JDBC URL of the new database. */
    String url() {
        return url;
    }

    /** Drops the database, closing any connection still open to it. */
    @Override
    public void close() throws SQLException {
        try {
            Runtime.getRuntime().removeShutdownHook(dropAtExit);
        } catch (IllegalStateException e) {
            // The JVM is stopping, and the hook drops the database too: dropping twice is fine.
        }
        drop();
    }

    private void drop() throws SQLException {
        execute(serverUrl, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void dropQuietly() {
        try {
            drop();
        } catch (SQLException e) {
            System.err.println("Could not drop the database " + name + ": " + e.getMessage());
        }
    }

    private static void execute(String serverUrl, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(serverUrl);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
