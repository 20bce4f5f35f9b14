package io.github.emailtracking.storage.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Attachment bytes as files named by attachment id. A file is written under a temporary name,
 * synced, then given its final name (which it never takes from another file) and the directory
 * synced, so that a file under an attachment's id is always whole. The directory, when it is
 * created, and the files are for this process's user only, where the file system has POSIX
 * permissions. Thread-safe: each write has a file of its own.
 */
final class DirectoryBlobs implements AttachmentBlobs {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String PART = ".part-";

    private final Path directory;

    DirectoryBlobs(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
        try {
            OwnerOnly.createDirectories(this.directory);
        } catch (IOException e) {
            String problem =
                    Files.exists(this.directory)
                            ? " is a file, not a directory"
                            : " cannot be created";
            throw new UncheckedIOException(
                    "the attachment directory " + this.directory + problem, e);
        }
    }

    @Override
    public void write(String key, InputStream content) throws IOException {
        Path file = fileOf(key);
        Path part = directory.resolve(key + PART + UUID.randomUUID());
        try {
            try (FileChannel channel = newFile(part);
                    OutputStream out = Channels.newOutputStream(channel)) {
                content.transferTo(out);
                channel.force(true);
            }
            takeName(part, file);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(part);
            } catch (IOException leftOver) {
                e.addSuppressed(leftOver);
            }
            throw e;
        }
        dropTemporaryName(part);
        syncDirectory();
    }

    /**
     * Deletes the files that writes cut off by a crash left under a temporary name, last changed
     * before {@code before}: a write of another process sharing the directory may still be going
     * on. A temporary name that a crash left beside the final one is only a second name of that
     * file, which stays.
     *
     * @return how many were deleted
     * @throws IOException if the directory cannot be listed
     */
    int deleteLeftoverParts(Instant before) throws IOException {
        int deleted = 0;
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(directory, "*" + PART + "*")) {
            for (Path part : parts) {
                if (Files.isRegularFile(part, LinkOption.NOFOLLOW_LINKS)
                        && Files.getLastModifiedTime(part, LinkOption.NOFOLLOW_LINKS)
                                .toInstant()
                                .isBefore(before)
                        && Files.deleteIfExists(part)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /**
     * Removes the temporary name of a file that has its final one. Should that fail, the write
     * still succeeded: the file is whole under its id, and its other name stays, as a crash at that
     * moment leaves it.
     */
    private static void dropTemporaryName(Path part) {
        try {
            Files.deleteIfExists(part);
        } catch (IOException e) {
            // Nothing lost; the bytes under the other name are the attachment's.
        }
    }

    /**
     * Gives the written file its final name, unless another file has it: a link, which fails when
     * the name is taken, where a rename would replace what it names. On a file system without
     * links, a rename, once no file has the name.
     */
    private static void takeName(Path part, Path file) throws IOException {
        try {
            Files.createLink(file, part);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(file.toString());
            }
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /**
     * Gives {@code key} the bytes kept under {@code from} when what it holds is missing, or not the
     * {@code size} bytes whose SHA-256 is {@code sha256}, as when a file was deleted or changed
     * outside the store; {@code from} then holds nothing.
     *
     * @return whether {@code key} took the bytes of {@code from}
     */
    boolean replaceIfDamaged(String key, String from, long size, byte[] sha256) throws IOException {
        Path file = fileOf(key);
        if (holds(file, size, sha256)) {
            return false;
        }
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            // A rename cannot replace a folder; an empty one can go, any other stays, and fails.
            Files.delete(file);
        }
        Files.move(
                fileOf(from),
                file,
                StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        syncDirectory();
        return true;
    }

    private static boolean holds(Path file, long size, byte[] sha256) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) != size) {
            return false;
        }
        MessageDigest digest = Sha256.newDigest();
        try (InputStream in =
                new DigestInputStream(
                        Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return MessageDigest.isEqual(digest.digest(), sha256);
    }

    @Override
    public boolean copyTo(String key, OutputStream out) throws IOException {
        Path file = fileOf(key);
        // Opening a named pipe, or a device, put there by hand would wait or read without end.
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + " is not a regular file");
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            in.transferTo(out);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(fileOf(key));
    }

    @Override
    public String toString() {
        return "attachment files in " + directory;
    }

    /** Returns whether the directory has a file for an attachment id. */
    boolean has(String key) {
        return Files.isRegularFile(fileOf(key));
    }

    /** Returns the file of an attachment id; an id that could name another path is refused. */
    private Path fileOf(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not an attachment id: " + key);
        }
        return directory.resolve(key);
    }

    /** Creates a file for this process's user only, where the file system has permissions. */
    private static FileChannel newFile(Path file) throws IOException {
        Set<StandardOpenOption> options =
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return OwnerOnly.supported(file)
                ? FileChannel.open(file, options, OwnerOnly.FILE)
                : FileChannel.open(file, options);
    }

    private void syncDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory; the new name is then as durable as they
            // make it, and the file's own bytes were synced above.
        }
    }
}
