package io.github.emailtracking.examples;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the client's address and the public host from the headers a trusted proxy sets ({@code
 * Forwarded}, {@code X-Forwarded-*}), as Jetty's own customizer does, with two differences.
 *
 * <p>Only the last entry of each header is read: the one the proxy in front of the server wrote. A
 * proxy that appends to the headers a client sent (as nginx's {@code $proxy_add_x_forwarded_for}
 * does) leaves the client's own entries first, where Jetty would read them, so a client could name
 * any address it liked.
 *
 * <p>A request whose forwarding headers are malformed is served as it arrived instead of refused: a
 * proxy passes on whatever a client put in them, and the open route must answer with the pixel
 * whatever happens.
 */
final class ProxyForwarding implements HttpConfiguration.Customizer {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyForwarding.class);

    private static final List<String> FORWARDING_HEADERS =
            List.of(
                    "Forwarded",
                    "X-Forwarded-For",
                    "X-Forwarded-Host",
                    "X-Forwarded-Proto",
                    "X-Forwarded-Port",
                    "X-Forwarded-Server");

    private final ForwardedRequestCustomizer forwarded = new ForwardedRequestCustomizer();

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        try {
            return forwarded.customize(lastHopOnly(request), responseHeaders);
        } catch (RuntimeException e) {
            if (!(e instanceof HttpException)) {
                throw e;
            }
            LOG.debug("Malformed forwarding headers are ignored: {}", e.getMessage());
            return request;
        }
    }

    /** Returns the request with each forwarding header cut to its last entry, when one has more. */
    static Request lastHopOnly(Request request) {
        HttpFields headers = request.getHeaders();
        HttpFields.Mutable lastHop = null;
        for (String name : FORWARDING_HEADERS) {
            List<String> entries = entries(headers.getValuesList(name));
            if (entries.size() > 1) {
                lastHop = lastHop != null ? lastHop : HttpFields.build(headers);
                lastHop.put(name, entries.get(entries.size() - 1));
            }
        }
        if (lastHop == null) {
            return request;
        }
        HttpFields cut = lastHop.asImmutable();
        return new Request.Wrapper(request) {
            @Override
            public HttpFields getHeaders() {
                return cut;
            }
        };
    }

    /**
     * Splits header values into their comma-separated entries, keeping commas inside quoted text
     * (as in {@code Forwarded: for="[2001:db8::1]:80"}); empty entries are dropped.
     */
    static List<String> entries(List<String> values) {
        List<String> entries = new ArrayList<>();
        for (String value : values) {
            StringBuilder entry = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == ',' && !quoted) {
                    addEntry(entries, entry);
                    continue;
                }
                if (c == '"') {
                    quoted = !quoted;
                } else if (c == '\\' && quoted && i + 1 < value.length()) {
                    entry.append(c);
                    c = value.charAt(++i);
                }
                entry.append(c);
            }
            addEntry(entries, entry);
        }
        return entries;
    }

    private static void addEntry(List<String> entries, StringBuilder entry) {
        String trimmed = entry.toString().strip();
        if (!trimmed.isEmpty()) {
            entries.add(trimmed);
        }
        entry.setLength(0);
    }
}
