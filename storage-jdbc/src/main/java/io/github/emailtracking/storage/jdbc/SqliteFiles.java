package io.github.emailtracking.storage.jdbc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.sqlite.SQLiteConfig;

/** Reads the database file out of a SQLite JDBC URL. */
final class SqliteFiles {

    static final String URL_PREFIX = "jdbc:sqlite:";

    /** The settings the driver reads from a URL's query, in lower case. */
    private static final Set<String> DRIVER_SETTINGS =
            Arrays.stream(SQLiteConfig.Pragma.values())
                    .map(pragma -> pragma.pragmaName.toLowerCase(Locale.ROOT))
                    .collect(Collectors.toUnmodifiableSet());

    /** Why the store refuses an in-memory database. */
    static final String IN_MEMORY_REASON =
            "the store's connections would each see a database of their own";

    private SqliteFiles() {}

    /**
     * Returns the file a SQLite URL names.
     *
     * @throws IllegalArgumentException if the URL names an in-memory database or no file: each
     *     connection would see a database of its own
     */
    static Path databaseFile(String jdbcUrl) {
        if (isInMemory(jdbcUrl)) {
            throw new IllegalArgumentException(
                    "jdbcUrl must name a SQLite database file, not "
                            + JdbcUrls.redact(jdbcUrl)
                            + ": "
                            + IN_MEMORY_REASON);
        }
        String rest = jdbcUrl.substring(URL_PREFIX.length());
        int query = rest.indexOf('?');
        String name = query < 0 ? rest : rest.substring(0, query);
        if (query >= 0 && !name.startsWith("file:")) {
            requireKnownSettings(rest.substring(query + 1));
        }
        Path file = name.startsWith("file:") ? fromFileUri(jdbcUrl, name) : Path.of(name);
        String written = file.toString();
        if (!written.strip().equals(written)) {
            // The driver drops the white space, and would open another file than the one checked.
            throw new IllegalArgumentException(
                    "jdbcUrl's file path must not begin or end with white space, which the SQLite"
                            + " driver drops: "
                            + JdbcUrls.redact(jdbcUrl));
        }
        return file;
    }

    /** Returns whether a SQLite URL names an in-memory database, or no file at all. */
    static boolean isInMemory(String jdbcUrl) {
        String rest = jdbcUrl.substring(URL_PREFIX.length());
        int fragment = rest.indexOf('#');
        if (rest.startsWith("file:") && fragment >= 0) {
            // SQLite drops a file URI's fragment, whatever it holds.
            rest = rest.substring(0, fragment);
        }
        int query = rest.indexOf('?');
        String name = query < 0 ? rest : rest.substring(0, query);
        // SQLite decodes a file URI's escapes, such as %3A, and reads its text up to a NUL.
        String path = name.startsWith("file:") ? unescaped(name.substring("file:".length())) : name;
        return path.isBlank()
                || path.startsWith(":")
                || (query >= 0 && asksForMemory(rest.substring(query + 1)));
    }

    /**
     * Fails when a plain path's query names a setting the driver does not know: the driver keeps
     * such a setting in the file's name, and so opens another file than the path names.
     */
    private static void requireKnownSettings(String query) {
        List<String> unknown = new ArrayList<>();
        for (String parameter : query.split("&")) {
            String name = parameter.split("=", 2)[0].strip().toLowerCase(Locale.ROOT);
            if (!name.isEmpty() && !DRIVER_SETTINGS.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "jdbcUrl sets what the SQLite driver does not know, "
                            + String.join(", ", unknown)
                            + ", which it would make part of the file's name: correct the"
                            + " setting's name (such as busy_timeout) or leave it out");
        }
    }

    /** Returns whether a URL's query sets {@code mode=memory}. */
    private static boolean asksForMemory(String query) {
        for (String parameter : query.split("&")) {
            String[] pair = parameter.split("=", 2);
            if (pair.length < 2) {
                continue;
            }
            String name = unescaped(pair[0]).strip().toLowerCase(Locale.ROOT);
            String value = unescaped(pair[1]).strip().toLowerCase(Locale.ROOT);
            if ((name.equals("mode") && value.equals("memory"))
                    || (name.equals("vfs") && value.equals("memdb"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the text with its %-escapes decoded as SQLite decodes a URI's, up to a NUL, where
     * SQLite stops reading it: a % that begins no escape of two hexadecimal digits stays as it is.
     */
    private static String unescaped(String text) {
        byte[] written = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream decoded = new ByteArrayOutputStream(written.length);
        for (int i = 0; i < written.length; i++) {
            int b = written[i];
            if (b == '%'
                    && i + 2 < written.length
                    && isHex(written[i + 1])
                    && isHex(written[i + 2])) {
                b = Character.digit(written[i + 1], 16) * 16 + Character.digit(written[i + 2], 16);
                i += 2;
            }
            if (b == 0) {
                break;
            }
            decoded.write(b);
        }
        return decoded.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(byte b) {
        return Character.digit(b, 16) >= 0;
    }

    /**
     * Creates the missing folders above the database file, and the file itself, empty, when it is
     * missing. Where the file system has POSIX permissions, what is created is for this process's
     * user only (the database holds the keys that sign tokens and links), and SQLite gives its
     * {@code -wal} and {@code -shm} files the permissions of the database file.
     */
    static void createOwnerOnly(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path parent = absolute.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            OwnerOnly.createDirectories(parent);
        }
        OwnerOnly.createFileIfMissing(absolute);
    }

    private static Path fromFileUri(String jdbcUrl, String name) {
        try {
            URI uri = new URI(name);
            String path = uri.getPath() != null ? uri.getPath() : uri.getSchemeSpecificPart();
            if (path.indexOf('\uFFFD') >= 0 && name.indexOf('\uFFFD') < 0) {
                // SQLite writes the bytes as they are; this process would name another file.
                throw new IllegalArgumentException(
                        "jdbcUrl's file URI escapes bytes that are not UTF-8 text: "
                                + JdbcUrls.redact(jdbcUrl));
            }
            // SQLite reads the path up to a NUL, which no file name may hold.
            int nul = path.indexOf('\0');
            return Path.of(nul < 0 ? path : path.substring(0, nul));
        } catch (URISyntaxException | InvalidPathException e) {
            throw new IllegalArgumentException(
                    "jdbcUrl has a file URI that cannot be read: " + JdbcUrls.redact(jdbcUrl), e);
        }
    }
}
