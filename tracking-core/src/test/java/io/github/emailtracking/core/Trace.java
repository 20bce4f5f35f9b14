package io.github.emailtracking.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What happened to one email in a labelled trace: its events in the order they arrived.
 *
 * @param scenario the kind of recipient the trace models
 * @param links the links of the email
 * @param events the events, earliest first
 */
record Trace(Scenario scenario, List<String> links, List<TraceEvent> events) {

    /** The kinds of recipient the traces model. */
    enum Scenario {
        APPLE_MAIL,
        GMAIL,
        SCANNED_BY_GATEWAY,
        PHONE,
        DESKTOP
    }

    Trace {
        links = List.copyOf(links);
        events = List.copyOf(events);
    }

    /** Returns a builder for a trace of {@code scenario} of an email with {@code links}. */
    static Builder of(Scenario scenario, List<String> links) {
        return new Builder(scenario, links);
    }

    /** Collects events in any order; the trace holds them in the order they arrive. */
    static final class Builder {

        private final Scenario scenario;
        private final List<String> links;
        private final List<TraceEvent> events = new ArrayList<>();

        private Builder(Scenario scenario, List<String> links) {
            this.scenario = scenario;
            this.links = List.copyOf(links);
        }

        List<String> links() {
            return links;
        }

        Builder open(Actor actor, long afterSendingMillis, TraceClient client) {
            events.add(
                    new TraceEvent(
                            actor,
                            EventKind.OPEN,
                            afterSendingMillis,
                            null,
                            client.userAgent(),
                            client.ipAddress()));
            return this;
        }

        Builder click(Actor actor, long afterSendingMillis, String url, TraceClient client) {
            events.add(
                    new TraceEvent(
                            actor,
                            EventKind.CLICK,
                            afterSendingMillis,
                            url,
                            client.userAgent(),
                            client.ipAddress()));
            return this;
        }

        Trace build() {
            List<TraceEvent> inOrder = new ArrayList<>(events);
            inOrder.sort(Comparator.comparingLong(TraceEvent::afterSendingMillis));
            return new Trace(scenario, links, inOrder);
        }
    }
}
