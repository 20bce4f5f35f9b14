package io.github.emailtracking.storage.jdbc;

/**
 * What the writer learns about an email from updating its counters, before the batch's events
 * change its firsts.
 *
 * @param campaignId the email's campaign
 * @param sentAt when it was sent, in epoch milliseconds
 * @param firsts its firsts before the batch's events
 */
record EmailRow(String campaignId, long sentAt, Firsts firsts) {}
