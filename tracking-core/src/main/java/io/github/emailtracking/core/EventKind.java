package io.github.emailtracking.core;

/** What a recipient's client fetched: the open pixel of an email, or one of its click links. */
public enum EventKind {
    /** The open pixel was fetched. */
    OPEN,
    /** A click link was followed. */
    CLICK
}
