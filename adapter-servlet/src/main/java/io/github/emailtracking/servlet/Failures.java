package io.github.emailtracking.servlet;

import io.github.emailtracking.api.InvalidRequestException;
import io.github.emailtracking.api.NotFoundException;
import io.github.emailtracking.api.PayloadTooLargeException;
import io.github.emailtracking.api.StoreException;
import io.github.emailtracking.api.TrackingException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a failed request: each kind of exception maps to one status code and a JSON message a
 * person can act on. Nothing else reaches the client: no stack trace, SQL or class name.
 */
final class Failures {

    private static final Logger LOG = LoggerFactory.getLogger(TrackingServlet.class);

    /** What a client is told of a change the database did not confirm. */
    static final String MAY_BE_STORED =
            "The tracking store did not confirm the change, which may be stored all the same;"
                    + " sending it again may store it twice, unless it carries an id of its own"
                    + " such as a reply's messageId";

    // The store fails every request while its database is down: one line a minute says so.
    private static final WarningThrottle STORE_FAILURES =
            new WarningThrottle(Duration.ofMinutes(1), System::nanoTime);
    // So does a key server that does not answer, for every request with a bearer token, which
    // anyone may send.
    private static final WarningThrottle KEY_SET_FAILURES =
            new WarningThrottle(Duration.ofMinutes(1), System::nanoTime);
    // And a full disk under the temporary folder, for every upload.
    private static final WarningThrottle UPLOAD_FAILURES =
            new WarningThrottle(Duration.ofMinutes(1), System::nanoTime);

    // How deep a chain of causes is searched; a chain may loop.
    private static final int MAX_CAUSES = 16;

    private Failures() {}

    static void answer(Exchange exchange, Exception failure) {
        HttpServletResponse response = exchange.response();
        if (response.isCommitted()) {
            LOG.debug("Request failed after its answer had started", failure);
            return;
        }
        response.reset();
        int status = statusOf(failure, response);
        try {
            exchange.json(status, Views.failure(messageOf(failure)));
        } catch (IOException e) {
            LOG.debug("Could not answer a failed request; the client is gone", e);
        }
    }

    private static int statusOf(Exception failure, HttpServletResponse response) {
        if (failure instanceof InvalidRequestException) {
            return HttpServletResponse.SC_BAD_REQUEST;
        }
        if (failure instanceof AuthenticationException auth) {
            String challenge = "Bearer realm=\"email-tracking\"";
            if (auth.tokenPresented()) {
                challenge += ", error=\"invalid_token\"";
            }
            response.setHeader("WWW-Authenticate", challenge);
            return HttpServletResponse.SC_UNAUTHORIZED;
        }
        if (failure instanceof WebhookSecret.WebhookSecretException) {
            response.setHeader("WWW-Authenticate", WebhookSecret.CHALLENGE);
            return HttpServletResponse.SC_UNAUTHORIZED;
        }
        if (failure instanceof ForbiddenException) {
            return HttpServletResponse.SC_FORBIDDEN;
        }
        if (failure instanceof NotFoundException) {
            return HttpServletResponse.SC_NOT_FOUND;
        }
        if (failure instanceof MethodNotAllowedException notAllowed) {
            response.setHeader("Allow", notAllowed.allow());
            return HttpServletResponse.SC_METHOD_NOT_ALLOWED;
        }
        if (failure instanceof UnsupportedMediaTypeException) {
            return HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE;
        }
        if (failure instanceof PayloadTooLargeException) {
            return HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE;
        }
        if (failure instanceof IOException) {
            // Reading the request failed: the client went away, sent a body cut short, or stopped
            // sending it for longer than the container waits (which a stopping container shortens
            // to a moment). Only the last is worth sending again, and clients such as Power
            // Automate send again on a 408.
            LOG.debug("Could not read a request to its end", failure);
            return timedOut(failure)
                    ? HttpServletResponse.SC_REQUEST_TIMEOUT
                    : HttpServletResponse.SC_BAD_REQUEST;
        }
        if (failure instanceof KeySetUnavailableException) {
            warnOfKeySetFailure(failure);
            response.setHeader("Retry-After", "60");
            return HttpServletResponse.SC_SERVICE_UNAVAILABLE;
        }
        if (failure instanceof StoreException store) {
            warnOfStoreFailure(store);
            if (!store.changeMayBeStored()) {
                // Asked to retry, a client that has no id of its own for the change could store it
                // twice.
                response.setHeader("Retry-After", "5");
            }
            return HttpServletResponse.SC_SERVICE_UNAVAILABLE;
        }
        LOG.error("Unexpected failure while answering a request", failure);
        return HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
    }

    /**
     * Warns with the store's own message only: the causes, at debug level, may quote a statement
     * with its parameters, such as a tracking id or a client's address.
     */
    private static void warnOfStoreFailure(StoreException failure) {
        if (failure instanceof TemporaryFolderException) {
            warnOnceAPeriod(
                    UPLOAD_FAILURES,
                    "Could not keep {} uploaded file(s) since the last warning, the latest: {}",
                    failure);
            LOG.debug("Could not keep an uploaded file", failure);
            return;
        }
        warnOnceAPeriod(
                STORE_FAILURES,
                "The store failed {} request(s) since the last warning, the latest: {} (causes are"
                        + " logged at debug level)",
                failure);
        LOG.debug("The store failed a request", failure);
    }

    private static void warnOfKeySetFailure(Exception failure) {
        warnOnceAPeriod(
                KEY_SET_FAILURES,
                "Could not check {} bearer token(s) since the last warning, the latest: {}",
                failure);
    }

    /**
     * Counts a failure, and warns when the throttle lets it through: {@code warning} takes how many
     * failures it reports and the latest's message.
     */
    private static void warnOnceAPeriod(
            WarningThrottle throttle, String warning, Exception failure) {
        long failures = throttle.occurred();
        if (failures > 0) {
            LOG.warn(warning, failures, failure.getMessage());
        }
    }

    /**
     * Warns of the failures that came after the last warning of their kind, held back by its
     * period, so that the end of an outage is not left out of the log.
     */
    static void warnOfUnreportedFailures() {
        warnOfUnreported(
                STORE_FAILURES, "The store failed {} more request(s) after the last warning");
        warnOfUnreported(
                UPLOAD_FAILURES, "Could not keep {} more uploaded file(s) after the last warning");
        warnOfUnreported(
                KEY_SET_FAILURES, "Could not check {} more bearer token(s) after the last warning");
    }

    private static void warnOfUnreported(WarningThrottle throttle, String warning) {
        long failures = throttle.unreported();
        if (failures > 0) {
            LOG.warn(warning, failures);
        }
    }

    /** Returns what the answer to a request that failed so says. */
    static String messageOf(Exception failure) {
        if (failure instanceof StoreException store && store.changeMayBeStored()) {
            return MAY_BE_STORED;
        }
        if (failure instanceof TemporaryFolderException) {
            return "The server cannot keep an uploaded file right now; try again later";
        }
        if (failure instanceof StoreException) {
            return "The tracking store is unavailable; try again later";
        }
        if (failure instanceof TrackingException) {
            return failure.getMessage();
        }
        if (failure instanceof IOException) {
            return timedOut(failure)
                    ? "The request body stopped arriving before its end; send the request again"
                    : "The request body could not be read to its end";
        }
        return "Internal error; the server log has the details";
    }

    /**
     * Returns whether reading failed because the body stopped arriving for too long: Jetty says so
     * with a {@link TimeoutException} as the cause, other containers with a socket timeout.
     */
    private static boolean timedOut(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++) {
            if (cause instanceof TimeoutException || cause instanceof InterruptedIOException) {
                return true;
            }
            cause = cause.getCause();
        }
        return false;
    }
}
