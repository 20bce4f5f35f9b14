package io.github.emailtracking.storage.jdbc;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Reads the database file out of a SQLite JDBC URL. */
final class SqliteFiles {

    static final String URL_PREFIX = "jdbc:sqlite:";

    private SqliteFiles() {}

    /**
     * Returns the file a SQLite URL names.
     *
     * @throws IllegalArgumentException if the URL names an in-memory database or no file: each
     *     connection would see a database of its own
     */
    static Path databaseFile(String jdbcUrl) {
        String rest = jdbcUrl.substring(URL_PREFIX.length());
        int query = rest.indexOf('?');
        String name = query < 0 ? rest : rest.substring(0, query);
        String path = name.startsWith("file:") ? name.substring("file:".length()) : name;
        boolean inMemory =
                path.isEmpty()
                        || path.startsWith(":")
                        || (query >= 0 && asksForMemory(rest.substring(query + 1)));
        if (inMemory) {
            throw new IllegalArgumentException(
                    "jdbcUrl must name a SQLite database file, not "
                            + JdbcUrls.redact(jdbcUrl)
                            + ": the store's connections would each see a database of their own");
        }
        return name.startsWith("file:") ? fromFileUri(jdbcUrl, name) : Path.of(name);
    }

    /** Returns whether a URL's query sets {@code mode=memory}. */
    private static boolean asksForMemory(String query) {
        for (String parameter : query.split("&")) {
            String[] pair = parameter.split("=", 2);
            if (pair.length == 2
                    && pair[0].strip().equalsIgnoreCase("mode")
                    && pair[1].strip().toLowerCase(Locale.ROOT).equals("memory")) {
                return true;
            }
        }
        return false;
    }

    /** Creates the missing folders above the database file. */
    static void createParentDirectories(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    private static Path fromFileUri(String jdbcUrl, String name) {
        try {
            URI uri = new URI(name);
            return Path.of(uri.getPath() != null ? uri.getPath() : uri.getSchemeSpecificPart());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "jdbcUrl has a file URI that cannot be read: " + JdbcUrls.redact(jdbcUrl), e);
        }
    }
}
