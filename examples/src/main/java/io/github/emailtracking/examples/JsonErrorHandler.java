package io.github.emailtracking.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ErrorHandler;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers what Jetty refuses before a request reaches a servlet (an invalid or ambiguous URL
 * encoding, a URI or headers too large) with the JSON error body the routes use, instead of Jetty's
 * HTML page. The status stays Jetty's; the message is the status's name, followed for a refused
 * request (4xx) by Jetty's reason, cut short. A server error's reason may name an exception's class
 * and is never shown, but for the 503 of a stop, which says to send the request again; nor is a
 * stack trace. Like the routes' answers, each says {@code X-Content-Type-Options: nosniff}.
 */
final class JsonErrorHandler extends ErrorHandler {

    private static final int MAX_MESSAGE_LENGTH = 120;

    /** Why a request that arrives while the server stops is refused, with a 503. */
    static final String STOPPING = "the server is stopping; send the request again";

    /** What Jetty refuses with a 400 and no reason of its own, such as a NUL in the path. */
    private static final String UNEXPLAINED_BAD_REQUEST =
            "the request's URI or headers are not valid HTTP";

    private static final String JSON = "application/json;charset=utf-8";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    // As on the routes' own answers: a browser must take the body for the JSON it says it is.
    private static final HttpField NO_SNIFF =
            new PreEncodedHttpField("X-Content-Type-Options", "nosniff");

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        Object reason = request.getAttribute(ERROR_MESSAGE);
        byte[] body = body(status, reason == null ? null : reason.toString());

        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.getHeaders().put(ERROR_CACHE_CONTROL);
        response.getHeaders().put(NO_SNIFF);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, JSON);
        fields.put(ERROR_CACHE_CONTROL);
        fields.put(NO_SNIFF);
        return ByteBuffer.wrap(body(status, reason));
    }

    /** Returns {@code {"success":false,"message":...}} for the status and Jetty's reason. */
    static byte[] body(int status, String reason) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("success", false);
        error.put("message", message(status, reason));
        try {
            return MAPPER.writeValueAsBytes(error);
        } catch (JsonProcessingException e) {
            return "{\"success\":false}".getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String message(int status, String reason) {
        String name = HttpStatus.getMessage(status);
        boolean refused = status >= 400 && status < 500;
        boolean unexplained = reason == null || reason.isBlank() || reason.equals(name);
        if (status == HttpStatus.BAD_REQUEST_400 && unexplained) {
            return name + ": " + UNEXPLAINED_BAD_REQUEST;
        }
        if (status == HttpStatus.SERVICE_UNAVAILABLE_503 && STOPPING.equals(reason)) {
            return name + ": " + STOPPING;
        }
        if (!refused || unexplained) {
            return name;
        }
        String shown = reason.strip();
        if (shown.length() > MAX_MESSAGE_LENGTH) {
            shown = shown.substring(0, MAX_MESSAGE_LENGTH);
        }
        return name + ": " + shown;
    }
}
