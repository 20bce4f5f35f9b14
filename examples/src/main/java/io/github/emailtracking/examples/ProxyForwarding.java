package io.github.emailtracking.examples;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the client's address and the public host from the headers a trusted proxy sets ({@code
 * Forwarded}, {@code X-Forwarded-*}), as Jetty's own customizer does, except that a request whose
 * forwarding headers are malformed is served as it arrived instead of refused: a proxy passes on
 * whatever a client put in them, and the open route must answer with the pixel whatever happens.
 */
final class ProxyForwarding implements HttpConfiguration.Customizer {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyForwarding.class);

    private final ForwardedRequestCustomizer forwarded = new ForwardedRequestCustomizer();

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        try {
            return forwarded.customize(request, responseHeaders);
        } catch (RuntimeException e) {
            if (!(e instanceof HttpException)) {
                throw e;
            }
            LOG.debug("Malformed forwarding headers are ignored: {}", e.getMessage());
            return request;
        }
    }
}
