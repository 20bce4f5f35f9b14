package io.github.emailtracking.examples;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the client's address from the one header that the trusted proxy in front of the server
 * writes, through Jetty's own customizer, with three differences.
 *
 * <p>Only that header is read, and the other forwarding headers ({@code Forwarded}, {@code
 * X-Forwarded-*} and the like) are dropped. A proxy that writes one of them passes the others on as
 * the client sent them, and Jetty prefers {@code Forwarded} to {@code X-Forwarded-For}, so a client
 * behind a proxy that writes the latter could name any address in the former. The host, scheme and
 * port a proxy forwards are not needed: the server's links are made from its public URL.
 *
 * <p>Only the header's last entry is read: the one the proxy wrote. A proxy that appends to the
 * header a client sent (as nginx's {@code $proxy_add_x_forwarded_for} does) leaves the client's own
 * entries first, where Jetty would read them.
 *
 * <p>A request whose header is malformed is served as it arrived, from the proxy's address, instead
 * of refused: a proxy passes on whatever a client put in it, and the open route must answer with
 * the pixel whatever happens.
 */
final class ProxyForwarding implements HttpConfiguration.Customizer {

    /** The header a proxy tells the client's address in. */
    enum Header {
        /** {@code X-Forwarded-For}, which most proxies and load balancers write. */
        X_FORWARDED_FOR("X-Forwarded-For", false),
        /** {@code Forwarded} (RFC 7239), its {@code for} parameter. */
        FORWARDED("Forwarded", true);

        private final String fieldName;
        private final boolean quotes;

        Header(String fieldName, boolean quotes) {
            this.fieldName = fieldName;
            this.quotes = quotes;
        }

        String fieldName() {
            return fieldName;
        }

        /** Whether the header's syntax has quoted text, in which a comma separates nothing. */
        boolean quotes() {
            return quotes;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ProxyForwarding.class);

    /** Every header Jetty's customizer reads. */
    private static final List<String> FORWARDING_HEADERS =
            List.of(
                    "Forwarded",
                    "X-Forwarded-For",
                    "X-Forwarded-Host",
                    "X-Forwarded-Proto",
                    "X-Forwarded-Port",
                    "X-Forwarded-Server",
                    "X-Proxied-Https",
                    "Proxy-auth-cert",
                    "Proxy-ssl-id");

    private final ForwardedRequestCustomizer forwarded = new ForwardedRequestCustomizer();
    private final Header trusted;

    ProxyForwarding(Header trusted) {
        this.trusted = trusted;
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        try {
            Request proxysEntry = proxysEntryOnly(request, trusted);
            if (trusted == Header.FORWARDED
                    && namesAParameterTwice(proxysEntry.getHeaders().get("Forwarded"))) {
                // RFC 7239 allows each once an element; which one Jetty would read is a guess.
                LOG.debug("A Forwarded element naming a parameter twice is ignored");
                return request;
            }
            return forwarded.customize(proxysEntry, responseHeaders);
        } catch (RuntimeException e) {
            if (!(e instanceof HttpException)) {
                throw e;
            }
            LOG.debug("A malformed forwarding header is ignored: {}", e.getMessage());
            return request;
        }
    }

    /**
     * Returns the request with the trusted header cut to its last entry, and without the other
     * forwarding headers; or the request itself when it needs no such change.
     */
    static Request proxysEntryOnly(Request request, Header trusted) {
        HttpFields headers = request.getHeaders();
        List<String> values = headers.getValuesList(trusted.fieldName());
        List<String> entries = entries(values, trusted.quotes());
        boolean others =
                FORWARDING_HEADERS.stream()
                        .anyMatch(
                                name ->
                                        !name.equals(trusted.fieldName())
                                                && headers.contains(name));
        if (!others && values.size() <= 1 && values.equals(entries)) {
            return request;
        }
        HttpFields.Mutable kept = HttpFields.build(headers);
        FORWARDING_HEADERS.forEach(kept::remove);
        if (!entries.isEmpty()) {
            kept.put(trusted.fieldName(), entries.get(entries.size() - 1));
        }
        HttpFields cut = kept.asImmutable();
        return new Request.Wrapper(request) {
            @Override
            public HttpFields getHeaders() {
                return cut;
            }
        };
    }

    /**
     * Splits header values into their comma-separated entries, keeping commas inside quoted text
     * when the header's syntax has it (as in {@code Forwarded: for="[2001:db8::1]:80"}), and when
     * the value closes every quote it opens; empty entries are dropped, and spaces around the
     * others.
     */
    static List<String> entries(List<String> values, boolean quotes) {
        List<String> entries = new ArrayList<>();
        for (String value : values) {
            if (quotes && !quotesBalance(value)) {
                // A quote a client left open would swallow the entry the proxy added after it.
                entries.addAll(entries(List.of(value), false));
                continue;
            }
            StringBuilder entry = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == ',' && !quoted) {
                    addEntry(entries, entry);
                    continue;
                }
                if (c == '"' && quotes) {
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

    /**
     * Returns whether a {@code Forwarded} element names one of its parameters twice, as in {@code
     * for=192.0.2.7;for=203.0.113.5}, in any letter case; semicolons in quoted values separate
     * nothing.
     */
    static boolean namesAParameterTwice(String element) {
        if (element == null) {
            return false;
        }
        Set<String> names = new HashSet<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i <= element.length(); i++) {
            char c = i < element.length() ? element.charAt(i) : ';';
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                i++;
            } else if (c == ';' && !quoted) {
                String pair = element.substring(start, Math.min(i, element.length()));
                int equals = pair.indexOf('=');
                // Jetty reads a quoted name as the name inside the quotes.
                String name =
                        (equals < 0 ? pair : pair.substring(0, equals)).strip().replace("\"", "");
                if (!name.isEmpty() && !names.add(name.toLowerCase(Locale.ROOT))) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    /** Returns whether every quote the value opens is closed, escapes inside quotes counted. */
    private static boolean quotesBalance(String value) {
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                i++;
            }
        }
        return !quoted;
    }

    private static void addEntry(List<String> entries, StringBuilder entry) {
        String trimmed = entry.toString().strip();
        if (!trimmed.isEmpty()) {
            entries.add(trimmed);
        }
        entry.setLength(0);
    }
}
