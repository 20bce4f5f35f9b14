package io.github.emailtracking.storage.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes empty databases on the PostgreSQL server the build names, one per test, and drops them all
 * at the end. A server that cannot be reached fails the test: it is never skipped. Other modules
 * use it through this module's test-jar. Thread-safe.
 *
 * <p>A test class registers it as an extension, which drops the databases after its last test:
 *
 * <pre>{@code
 * @RegisterExtension static final PostgresTestDatabases DATABASES = new PostgresTestDatabases();
 * }</pre>
 */
public final class PostgresTestDatabases implements AutoCloseable, AfterAllCallback {

    /** The system property with the server's URL; the root pom passes it to the tests. */
    public static final String URL_PROPERTY = "tracking.test.postgres.url";

    private static final Pattern DATABASE_IN_URL =
            Pattern.compile("^(jdbc:postgresql://[^/]+/)([^?]*)(.*)$");

    private final String serverUrl;
    private final List<String> created = new ArrayList<>();

    /**
     * Reads the server's URL from {@value #URL_PROPERTY}.
     *
     * @throws AssertionError if the property is not set
     */
    public PostgresTestDatabases() {
        String url = System.getProperty(URL_PROPERTY);
        if (url == null || url.isBlank()) {
            throw new AssertionError(
                    "The PostgreSQL tests need -D"
                            + URL_PROPERTY
                            + "=jdbc:postgresql://host:port/database?user=...; the root pom sets"
                            + " it");
        }
        this.serverUrl = url;
    }

    /** Creates an empty database named {@code et_test_...} and returns its URL. */
    public synchronized String create() {
        String name = "et_test_" + UUID.randomUUID().toString().replace("-", "");
        execute("CREATE DATABASE " + name);
        created.add(name);
        return urlOf(name);
    }

    /** Drops every database this made. */
    @Override
    public synchronized void close() {
        for (String name : created) {
            execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
        created.clear();
    }

    /** Drops every database this made, after the last test of the class that registered it. */
    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private String urlOf(String database) {
        Matcher url = DATABASE_IN_URL.matcher(serverUrl);
        if (!url.matches()) {
            throw new AssertionError(
                    URL_PROPERTY + " must look like jdbc:postgresql://host:port/database?...");
        }
        return url.group(1) + database + url.group(3);
    }

    private void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(serverUrl);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError(
                    "PostgreSQL at "
                            + JdbcUrls.redact(serverUrl)
                            + " did not run \""
                            + sql
                            + "\". The driver said: "
                            + e.getMessage()
                            + " Start the server, or point -D"
                            + URL_PROPERTY
                            + " at one where this user may create databases.",
                    e);
        }
    }
}
