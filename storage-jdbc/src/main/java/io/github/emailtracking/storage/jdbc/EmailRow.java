package io.github.emailtracking.storage.jdbc;

/**
 * What the writer learns about an email from updating its counters, before the batch's events
 * change its firsts.
 *
 * @param campaignId the email's campaign
 * @param sentAt when it was sent, in epoch milliseconds
 * @param openCount how many opens it has had, the batch's included
 * @param clickCount how many clicks it has had, the batch's included
 * @param firsts its firsts before the batch's events
 */
record EmailRow(String campaignId, long sentAt, long openCount, long clickCount, Firsts firsts) {}
