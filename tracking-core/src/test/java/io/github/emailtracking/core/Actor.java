package io.github.emailtracking.core;

/** Who made an event of a labelled trace: the truth the classifier's judgement is scored on. */
enum Actor {
    APPLE_PREFETCH("Apple privacy prefetch", true),
    GMAIL_PROXY("Gmail proxy, for a reader", false),
    LINK_SCANNER("link scanner", true),
    PHONE("person on a phone", false),
    DESKTOP("person on a desktop", false);

    private final String label;
    private final boolean machine;

    Actor(String label, boolean machine) {
        this.label = label;
        this.machine = machine;
    }

    /** Returns the name of the actor in the report. */
    String label() {
        return label;
    }

    /** Returns whether a machine made the event on its own, with no person behind it. */
    boolean isMachine() {
        return machine;
    }
}
