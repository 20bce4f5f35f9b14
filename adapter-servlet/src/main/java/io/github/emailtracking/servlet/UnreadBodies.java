package io.github.emailtracking.servlet;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Tells a client when its connection closes after the answer because its request's body was left
 * unread: the container cannot find where the next request begins, and closes the connection, and a
 * client that keeps connections open would send its next request into a closed one.
 */
final class UnreadBodies {

    private static final String FORM = "application/x-www-form-urlencoded";

    /** The longest unread body that is read and dropped to keep its connection. */
    static final int DRAINED_BYTES = 64 * 1024;

    private UnreadBodies() {}

    /**
     * Reads and drops what is left of a body, up to a number of bytes: the end of a multipart body
     * after its last part, which its reader leaves, so that the connection can serve another
     * request. A failed read ends it: the client went away, and the connection closes anyway.
     */
    static void readTheRest(InputStream body, long maxBytes) {
        byte[] buffer = new byte[8192];
        long skipped = 0;
        try {
            for (int n = body.read(buffer); n >= 0 && skipped < maxBytes; n = body.read(buffer)) {
                skipped += n;
            }
        } catch (IOException e) {
            // Nothing to answer to.
        }
    }

    /**
     * Fails when a body read to its end holds fewer bytes than it declared, or is a form sent in
     * chunks that holds none. A container fails the read of a body cut short, so such a body was
     * read before the servlet got it, as by a filter in front of it that asks for the parameters of
     * a form post; the route would take it for an empty body, and might store a reply without its
     * text. A form in chunks declares no length, and an empty one cannot be told from one read
     * before: no client has a reason to send one.
     *
     * @throws IllegalStateException if the body was read before, a fault of the host's setup
     */
    static void requireUnreadBefore(HttpServletRequest request, int bytesRead) {
        long declared = request.getContentLengthLong();
        if (declared > bytesRead) {
            throw readBefore(
                    "the request declares " + declared + " bytes, and " + bytesRead + " were left");
        }
        if (declared < 0 && bytesRead == 0 && BodyEncoding.declaresType(request, FORM)) {
            throw readBefore(
                    "the request's form, sent in chunks, had no byte left (unless it was sent"
                            + " empty, which its client should not do)");
        }
    }

    private static IllegalStateException readBefore(String evidence) {
        return new IllegalStateException(
                "the request body was read before the tracking servlet got it: "
                        + evidence
                        + "; keep filters that read request parameters, such as a CSRF filter,"
                        + " off the servlet's mapping");
    }

    /**
     * Returns the request, wrapped so as to tell whether its body was opened when it declares one.
     * A body never opened is unread without asking the container, which would first invite a client
     * that sent {@code Expect: 100-continue} to send the body that a refusal leaves unread.
     */
    static HttpServletRequest watch(HttpServletRequest request) {
        return declaresBody(request) ? new WatchedBody(request) : request;
    }

    /**
     * Adds {@code Connection: close} to an answer not yet sent when the request, as {@link #watch}
     * returned it, declares a body, for a route that reads none and answers at once: nothing is
     * read here, so the answer waits for no body. The wrapper tells, so the open route reads no
     * header twice.
     */
    static void closeIfBodyDeclared(HttpServletRequest request, HttpServletResponse response) {
        if (request instanceof WatchedBody && !response.isCommitted()) {
            response.setHeader("Connection", "close");
        }
    }

    /**
     * Adds {@code Connection: close} to an answer not yet sent when the body was not read, unless
     * it is short, declared or chunked, and is then read and dropped here, so that the connection
     * can serve another request. A body held back until the client is asked for it ({@code Expect:
     * 100-continue}) is not asked for, nor is one sent with a GET or a HEAD.
     */
    static void closeIfUnread(HttpServletRequest request, HttpServletResponse response) {
        if (!response.isCommitted() && hasUnreadBody(request) && !drainedShortBody(request)) {
            response.setHeader("Connection", "close");
        }
    }

    /**
     * Reads and drops what is left of a body of at most {@value #DRAINED_BYTES} bytes, declared or
     * sent in chunks; returns whether it came to its end. A client that sends less than it declared
     * holds the thread until the container's idle timeout, and one that sends a byte now and then
     * as long as it goes on, as with any body a route reads.
     */
    private static boolean drainedShortBody(HttpServletRequest request) {
        if (request.getContentLengthLong() > DRAINED_BYTES
                || expectsContinue(request)
                || readsNoBody(request)) {
            return false;
        }
        try {
            ServletInputStream body = request.getInputStream();
            readTheRest(body, DRAINED_BYTES);
            return body.isFinished();
        } catch (IllegalStateException | IOException e) {
            return false;
        }
    }

    /** GET and HEAD routes answer at once, refusals included, whatever body is declared. */
    private static boolean readsNoBody(HttpServletRequest request) {
        return "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
    }

    private static boolean expectsContinue(HttpServletRequest request) {
        String expect = request.getHeader("Expect");
        return expect != null && expect.toLowerCase(Locale.ROOT).contains("100-continue");
    }

    /**
     * Returns whether the request has a body that was not read to its end: refused before it was
     * read, or cut short. A body read through a reader counts as unread, as it cannot be asked.
     */
    private static boolean hasUnreadBody(HttpServletRequest request) {
        if (!declaresBody(request)) {
            return false;
        }
        if (request instanceof WatchedBody watched && !watched.opened) {
            return true;
        }
        try {
            return !request.getInputStream().isFinished();
        } catch (IllegalStateException | IOException e) {
            return true;
        }
    }

    private static boolean declaresBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /**
     * A request that remembers whether its body was opened, as a stream or a reader, and whose body
     * stream fails at once after one of its reads failed (see {@link FailedReadsStay}).
     */
    private static final class WatchedBody extends HttpServletRequestWrapper {

        private boolean opened;
        private ServletInputStream body;

        WatchedBody(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            opened = true;
            if (body == null) {
                body = new FailedReadsStay(super.getInputStream(), this::withoutContainerError);
            }
            return body;
        }

        /**
         * Forgets the exception that a container notes when a read of the body fails, so that it
         * never reaches the client. Tomcat notes it, and answers the request itself with an error
         * page that shows the exception and its stack trace, whatever the route writes; without the
         * note, its page shows the status alone.
         */
        private void withoutContainerError() {
            removeAttribute(RequestDispatcher.ERROR_EXCEPTION);
        }

        @Override
        public BufferedReader getReader() throws IOException {
            opened = true;
            return super.getReader();
        }
    }
}
