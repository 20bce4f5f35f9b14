package io.github.emailtracking.storage.jdbc;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates folders and files that only this process's user may read, where the file system has POSIX
 * permissions; elsewhere they get the file system's defaults. What exists already keeps its
 * permissions.
 */
final class OwnerOnly {

    private static final FileAttribute<Set<PosixFilePermission>> FOLDER =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    static final FileAttribute<Set<PosixFilePermission>> FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private OwnerOnly() {}

    /** Creates a folder and the missing folders above it. */
    static void createDirectories(Path folder) throws IOException {
        try {
            Files.createDirectories(folder, FOLDER);
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(folder);
        }
    }

    /** Creates an empty file unless one exists. */
    static void createFileIfMissing(Path file) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        try {
            Files.createFile(file, FILE);
        } catch (FileAlreadyExistsException e) {
            // Made meanwhile by another process: it is theirs to keep as it is.
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
    }

    /** Returns whether the file system under {@code path} has POSIX permissions. */
    static boolean supported(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
