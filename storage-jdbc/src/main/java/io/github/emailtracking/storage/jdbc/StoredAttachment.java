package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.AttachmentInfo;

/**
 * An attachment's description, how many chunks hold its content, and the content's SHA-256.
 *
 * @param info the description
 * @param chunkCount how many chunks there are, numbered from 0
 * @param contentSha256 the SHA-256 of the content, computed as it was stored
 */
record StoredAttachment(AttachmentInfo info, int chunkCount, byte[] contentSha256) {}
