package io.github.emailtracking.servlet;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder in which this process keeps the temporary files of the uploads it is reading, and the
 * removal of the folders of processes that ended without deleting theirs.
 *
 * <p>Each process makes a folder of its own, readable by its user only, and locks a file in it for
 * as long as it runs. The operating system releases that lock when the process ends, however it
 * ends, even killed; a folder whose lock can be taken therefore belongs to no running process, and
 * the next process to make its own folder in the same place deletes it with the files in it. A
 * folder is locked before it gets the name that others look for, so none is ever taken for
 * abandoned while it is being made.
 *
 * <p>The name also holds the process's id, and a process never looks at the locks of folders named
 * with its own: where locks belong to processes, as on Linux, closing any channel to a file would
 * release the lock this process holds on it.
 *
 * <p>In a temporary folder that other users may write, such as {@code /tmp}, a process deletes only
 * the folders its own user owns, whose lock is a regular file, and deletes their files through the
 * folder as it opened it where the file system allows: another user can neither make it wait on a
 * named pipe nor lead it, with a symbolic link in a folder's place, to delete files elsewhere.
 */
final class UploadFolder {

    /** How the names of the folders begin. */
    static final String PREFIX = "email-tracking-uploads-";

    private static final String LOCK = ".lock";
    private static final long PROCESS = ProcessHandle.current().pid();
    private static final Logger LOG = LoggerFactory.getLogger(UploadFolder.class);
    private static UploadFolder current;

    private final Path path;
    private final UserPrincipal owner;

    /** Held open, and so locked, for the life of the process. */
    private final FileChannel lock;

    private UploadFolder(Path path, UserPrincipal owner, FileChannel lock) {
        this.path = path;
        this.owner = owner;
        this.lock = lock;
    }

    /**
     * Returns this process's folder under the system's temporary folder ({@code java.io.tmpdir}),
     * making it the first time, and again if it is no longer its own (a cleaner of old temporary
     * files deleted it), after deleting the folders there that ended processes left.
     *
     * @throws IOException if the folder could not be made; the next call tries again
     */
    static synchronized Path current() throws IOException {
        if (current == null || !current.isStillOwn()) {
            UploadFolder replaced = current;
            current = open(Path.of(System.getProperty("java.io.tmpdir")));
            current.deleteOnExit();
            if (replaced != null) {
                replaced.lock.close();
            }
        }
        return current.path;
    }

    /**
     * Makes and locks a new folder under {@code parent}, then deletes the abandoned ones there.
     * Visible to tests, which give each run a parent of its own.
     */
    static UploadFolder open(Path parent) throws IOException {
        Path unnamed = Files.createTempDirectory(parent, "." + PREFIX + PROCESS + "-");
        FileChannel lock = lock(unnamed.resolve(LOCK));
        try {
            Path named = parent.resolve(unnamed.getFileName().toString().substring(1));
            Files.move(unnamed, named, StandardCopyOption.ATOMIC_MOVE);
            UserPrincipal owner = Files.getOwner(named, LinkOption.NOFOLLOW_LINKS);
            deleteAbandoned(parent, owner);
            return new UploadFolder(named, owner, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Returns where the folder is. */
    Path path() {
        return path;
    }

    /**
     * Returns whether the folder is still the one this process made: a folder of its user that no
     * one else may enter. Once a cleaner deleted it, another user may make one of the same name, in
     * which files could be swapped for links.
     */
    private boolean isStillOwn() throws IOException {
        try {
            PosixFileAttributes now =
                    Files.readAttributes(
                            path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return now.isDirectory()
                    && now.owner().equals(owner)
                    && now.permissions().equals(PosixFilePermissions.fromString("rwx------"));
        } catch (NoSuchFileException e) {
            return false;
        } catch (UnsupportedOperationException e) {
            return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private static FileChannel lock(Path file) throws IOException {
        FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            channel.lock();
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Deletes the folder when the process stops normally; an interrupted upload's file stays. */
    private void deleteOnExit() {
        path.toFile().deleteOnExit();
        path.resolve(LOCK).toFile().deleteOnExit();
    }

    private static void deleteAbandoned(Path parent, UserPrincipal owner) {
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path folder : folders) {
                if (Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
                        && !isOfThisProcess(folder)
                        && owner.equals(Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS))) {
                    deleteIfAbandoned(folder);
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not look for abandoned upload folders in {}: {}", parent, e.toString());
        }
    }

    private static boolean isOfThisProcess(Path folder) {
        String name = folder.getFileName().toString();
        return name.startsWith(PREFIX + PROCESS + "-");
    }

    private static void deleteIfAbandoned(Path folder) {
        Path lockFile = folder.resolve(LOCK);
        if (Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)
                && !Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (FileChannel channel =
                FileChannel.open(lockFile, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                deleteFolder(folder);
            }
        } catch (NoSuchFileException e) {
            // Its process stopped normally and deleted the lock, but not an upload's file.
            deleteFolder(folder);
        } catch (IOException e) {
            LOG.warn("Could not delete the abandoned upload folder {}: {}", folder, e.toString());
        }
    }

    /** Deletes the files in a folder, then the folder; one that cannot be deleted is left. */
    private static void deleteFolder(Path folder) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                if (files instanceof SecureDirectoryStream<Path> opened) {
                    opened.deleteFile(file.getFileName());
                } else {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(folder);
        } catch (NoSuchFileException e) {
            // Another process deleted it meanwhile.
        } catch (IOException e) {
            LOG.warn("Could not delete the abandoned upload folder {}: {}", folder, e.toString());
        }
    }
}
