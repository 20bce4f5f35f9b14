package io.github.emailtracking.storage.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Where a {@link JdbcTrackingStore} keeps the bytes of attachments when not in its database; the
 * descriptions (name, type, size, owner) always stay in the database, and an attachment exists only
 * once its description is written. Without one, the store keeps the bytes in the database in chunks
 * of 256 KiB.
 *
 * <p>Each attachment's bytes are kept under its attachment id, a URL-safe string of at most 64
 * characters that is never reused. An implementation must be thread-safe, must have the bytes
 * durable when {@link #write} returns, and must stream them: attachments may be large.
 */
public interface AttachmentBlobs {

    /**
     * Stores every byte of {@code content} under {@code key}, which should hold nothing yet: two
     * uploads given the same attachment id may write at once, and the second must not replace the
     * first.
     *
     * @throws java.nio.file.FileAlreadyExistsException if {@code key} holds bytes already, which
     *     stay as they are
     * @throws IOException if reading {@code content} or writing fails; nothing is then kept
     */
    void write(String key, InputStream content) throws IOException;

    /**
     * Copies the bytes kept under {@code key} to {@code out}.
     *
     * @return false, having written nothing, when nothing is kept under {@code key}
     */
    boolean copyTo(String key, OutputStream out) throws IOException;

    /** Deletes what is kept under {@code key}; does nothing when nothing is. */
    void delete(String key) throws IOException;

    /**
     * Returns blobs kept as one file per attachment in {@code directory}, created if missing.
     * Several stores may share a directory only when they share the database as well.
     *
     * <p>Note: a file whose upload was cut off by a crash, before its description was written, is
     * left in the directory, named by an id that no attachment has and then {@code .part-} and a
     * random suffix, until a store starting later deletes it, once it is a day old by the file
     * system's time; a crash as the file took its id leaves both names, for one file, and that
     * whole file stays under the id.
     *
     * @throws java.io.UncheckedIOException if the directory cannot be made, or is not one
     */
    static AttachmentBlobs inDirectory(Path directory) {
        return new DirectoryBlobs(directory);
    }
}
