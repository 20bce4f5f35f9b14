package io.github.emailtracking.api;

import java.time.Instant;
import java.util.Objects;

/**
 * What is known about a file received with a reply, without its content.
 *
 * @param id the attachment's id
 * @param trackingId the email whose reply carried the file
 * @param fileName the name the sender gave the file; display text only, never a path
 * @param contentType the media type the sender declared, or {@code application/octet-stream}
 * @param fileSize the stored content's length in bytes
 * @param uploadedAt when the file was received
 */
public record AttachmentInfo(
        AttachmentId id,
        TrackingId trackingId,
        String fileName,
        String contentType,
        long fileSize,
        Instant uploadedAt) {

    /** Creates the description; every component is required and the size is not negative. */
    public AttachmentInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(trackingId, "trackingId");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(uploadedAt, "uploadedAt");
        if (fileSize < 0) {
            throw new IllegalArgumentException("fileSize is negative: " + fileSize);
        }
    }

    /** Returns a copy that records the stored content's length. */
    public AttachmentInfo withFileSize(long size) {
        return new AttachmentInfo(id, trackingId, fileName, contentType, size, uploadedAt);
    }
}
