package io.github.emailtracking.api;

import java.util.List;
import java.util.Objects;

/**
 * Everything recorded about one email: its totals and a window of its events.
 *
 * @param email the email as registered
 * @param counters its totals over all events
 * @param opens a window of its opens, oldest first
 * @param clicks a window of its clicks, oldest first
 * @param attachments a window of the files its replies carried, oldest first
 */
public record EmailStatus(
        TrackedEmail email,
        EmailCounters counters,
        List<OpenEvent> opens,
        List<ClickEvent> clicks,
        List<AttachmentInfo> attachments) {

    /** Creates the status; the lists are copied. */
    public EmailStatus {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(counters, "counters");
        opens = List.copyOf(opens);
        clicks = List.copyOf(clicks);
        attachments = List.copyOf(attachments);
    }
}
