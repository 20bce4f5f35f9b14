package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.AttachmentInfo;

/**
 * An attachment's description and how many chunks hold its content.
 *
 * @param info the description
 * @param chunkCount how many chunks there are, numbered from 0
 */
record StoredAttachment(AttachmentInfo info, int chunkCount) {}
