package io.github.emailtracking.core;

import io.github.emailtracking.api.Classification;

/**
 * One rule of the classifier: events from a kind of client ({@code userAgent}) or from a range of
 * addresses ({@code addresses}) are judged {@code result}. Exactly one of the two is set.
 *
 * @param userAgent what the {@code User-Agent} must match, or null for an address rule
 * @param addresses the range the client address must be in, or null for a user agent rule
 * @param on the only kind of event the rule judges, or null for both
 * @param result what a matching event is judged
 * @param machineWithinMillis for a human or proxy rule, how long after the email was sent a
 *     matching event is still judged a machine, as a fetch at delivery is; 0 for never
 */
record ClassifierRule(
        UserAgentMatch userAgent,
        Cidr addresses,
        EventKind on,
        Classification result,
        long machineWithinMillis) {

    /** Returns whether the rule judges events of {@code kind}. */
    boolean judges(EventKind kind) {
        return on == null || on == kind;
    }

    /**
     * Returns the judgement of a matching event that came {@code millisSinceSent} after the email
     * was sent ({@link Long#MAX_VALUE} when the sending time is unknown).
     */
    Classification judge(long millisSinceSent) {
        if (millisSinceSent < machineWithinMillis) {
            return Classification.machine(result.reason());
        }
        return result;
    }
}
