package io.github.emailtracking.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Tells a client when its connection closes after the answer because its request's body was left
 * unread: the container cannot find where the next request begins, and closes the connection, and a
 * client that keeps connections open would send its next request into a closed one.
 */
final class UnreadBodies {

    private UnreadBodies() {}

    /** Adds {@code Connection: close} to an answer not yet sent when the body was not read. */
    static void closeIfUnread(HttpServletRequest request, HttpServletResponse response) {
        if (!response.isCommitted() && hasUnreadBody(request)) {
            response.setHeader("Connection", "close");
        }
    }

    /**
     * Returns whether the request has a body that was not read to its end: refused before it was
     * read, or cut short. A body read through a reader counts as unread, as it cannot be asked.
     */
    private static boolean hasUnreadBody(HttpServletRequest request) {
        if (request.getContentLengthLong() <= 0 && request.getHeader("Transfer-Encoding") == null) {
            return false;
        }
        try {
            return !request.getInputStream().isFinished();
        } catch (IllegalStateException | IOException e) {
            return true;
        }
    }
}
