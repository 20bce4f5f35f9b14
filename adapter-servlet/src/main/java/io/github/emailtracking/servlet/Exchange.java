package io.github.emailtracking.servlet;

import io.github.emailtracking.api.InvalidRequestException;
import io.github.emailtracking.core.ClientInfo;
import io.github.emailtracking.core.EventContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One request and its response, with the reading and writing every route shares. */
final class Exchange {

    /** Longest query string read, in characters; a redirect URL is the longest value. */
    static final int MAX_QUERY_LENGTH = 16 * 1024;

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final JsonBodies json;
    private final List<String> path;
    private Query query;

    Exchange(
            HttpServletRequest request,
            HttpServletResponse response,
            JsonBodies json,
            List<String> path) {
        this.request = request;
        this.response = response;
        this.json = json;
        this.path = path;
    }

    HttpServletRequest request() {
        return request;
    }

    HttpServletResponse response() {
        return response;
    }

    /** Returns the path segment at {@code index} after the servlet's mount point. */
    String segment(int index) {
        return path.get(index);
    }

    /** Returns how many segments the path below the servlet has. */
    int segmentCount() {
        return path.size();
    }

    /**
     * Returns what the request shows about its client: its address, user agent (read as UTF-8 when
     * its bytes are), method and the headers the classifier reads.
     */
    ClientInfo client() {
        return new ClientInfo(
                request.getRemoteAddr(),
                Unicode.headerText(request.getHeader("User-Agent")),
                request.getMethod(),
                classifierHeaders());
    }

    private Map<String, String> classifierHeaders() {
        Map<String, String> headers = null;
        for (String name : EventContext.HEADERS) {
            String value = request.getHeader(name);
            if (value != null) {
                if (headers == null) {
                    headers = new HashMap<>();
                }
                headers.put(name, value);
            }
        }
        return headers == null ? Map.of() : headers;
    }

    /**
     * Returns the value of a query parameter, decoded, or null when absent. Only the query string
     * is read, never the body. Parameters the route does not read may come more than once.
     *
     * @throws InvalidRequestException if the query string is too long or badly encoded, or gives
     *     this parameter more than once: a proxy or filter in front may read another of its values
     *     than the route would
     */
    String query(String name) {
        if (query == null) {
            query = Query.parse(request.getQueryString());
        }
        if (query.repeated().contains(name)) {
            throw new InvalidRequestException(
                    "the query parameter \"" + name + "\" is given more than once");
        }
        return query.values().get(name);
    }

    /** Reads the body as JSON into {@code type}; see {@link JsonBodies#read}. */
    <T extends Record> T body(Class<T> type) throws IOException {
        return json.read(request, type);
    }

    /** Answers {@code status} with {@code body} as JSON that no cache keeps. */
    void json(int status, Object body) throws IOException {
        UnreadBodies.closeIfUnread(request, response);
        response.setStatus(status);
        response.setContentType("application/json;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        json.write(response.getOutputStream(), body);
    }

    /** A query string's parameters, decoded, and the names it gives more than once. */
    private record Query(Map<String, String> values, Set<String> repeated) {

        static Query parse(String queryString) {
            Query query = new Query(new HashMap<>(), new HashSet<>());
            if (queryString == null || queryString.isEmpty()) {
                return query;
            }
            if (queryString.length() > MAX_QUERY_LENGTH) {
                throw new InvalidRequestException(
                        "the query string is longer than " + MAX_QUERY_LENGTH + " characters");
            }
            for (String pair : queryString.split("&")) {
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                if (query.values.putIfAbsent(name, value) != null) {
                    query.repeated.add(name);
                }
            }
            return query;
        }

        private static String decode(String text) {
            try {
                return URLDecoder.decode(text, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("the query string has a malformed %-escape");
            }
        }
    }
}
