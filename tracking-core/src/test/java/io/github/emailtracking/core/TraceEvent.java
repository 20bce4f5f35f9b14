package io.github.emailtracking.core;

/**
 * One open or click of a labelled trace.
 *
 * @param actor who made it
 * @param kind an open or a click
 * @param afterSendingMillis when it arrived, counted from the sending of the email
 * @param url the link followed, for a click; null for an open
 * @param userAgent the {@code User-Agent} it was sent with
 * @param ipAddress the address it came from
 */
record TraceEvent(
        Actor actor,
        EventKind kind,
        long afterSendingMillis,
        String url,
        String userAgent,
        String ipAddress) {}
