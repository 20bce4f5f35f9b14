package io.github.emailtracking.storage.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.SQLException;
import java.util.Objects;

/**
 * The SQLite file a store opened, told apart from none or another file at its path. SQLite goes on
 * writing to a file deleted under it, and nothing reads that file again once the store stops: every
 * write acknowledged after the deletion would be lost without a word. Thread-safe.
 */
final class DatabaseFile {

    /** Thrown before a write when the file is gone or another one is in its place. */
    static final class ChangedException extends SQLException {

        private static final long serialVersionUID = 1L;

        ChangedException(Path path) {
            super("the database file " + path + " was deleted or replaced");
        }
    }

    private final Path path;
    private final Object identity;

    private DatabaseFile(Path path, Object identity) {
        this.path = path;
        this.identity = identity;
    }

    /**
     * Remembers the file now at {@code path}: its file system's key for it (device and inode on
     * Linux), or only that it exists where the file system has no such key.
     *
     * @throws IOException if the file cannot be read
     */
    static DatabaseFile at(Path path) throws IOException {
        Path absolute = path.toAbsolutePath();
        return new DatabaseFile(absolute, identityOf(absolute));
    }

    /** Returns the file's absolute path. */
    Path path() {
        return path;
    }

    /**
     * Fails unless the file remembered is still at its path.
     *
     * @throws ChangedException if it was deleted, or another file took its place
     */
    void requireUnchanged() throws ChangedException {
        Object now;
        try {
            now = identityOf(path);
        } catch (IOException e) {
            throw new ChangedException(path);
        }
        if (!Objects.equals(identity, now)) {
            throw new ChangedException(path);
        }
    }

    private static Object identityOf(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    }
}
