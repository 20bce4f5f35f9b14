package io.github.emailtracking.api;

import java.time.Instant;

/**
 * Something a recipient, or their mail system, did with one tracked email. Events are facts: once
 * stored they are never changed.
 */
public sealed interface TrackingEvent
        permits OpenEvent, ClickEvent, ReplyEvent, ReminderEvent, BounceEvent, UnsubscribeEvent {

    /** Returns the email the event belongs to. */
    TrackingId trackingId();

    /** Returns when the event happened, as the server's clock saw it. */
    Instant at();
}
