package io.github.emailtracking.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.emailtracking.api.EmailCounters;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.Viewer;
import io.github.emailtracking.core.EmailTracker;
import io.github.emailtracking.core.NewEmail;
import io.github.emailtracking.core.RegisteredEmail;
import io.github.emailtracking.storage.memory.MemoryTrackingStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The servlet mounted as a container's default servlet, under a context path. */
class MountingTest {

    private final MemoryTrackingStore store = new MemoryTrackingStore();
    private final HttpClient http = HttpClient.newHttpClient();
    private Server server;

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void servletMappedToSlash_servesItsRoutesFromTheContextPath() throws Exception {
        EmailTracker tracker =
                EmailTracker.builder().store(store).publicBaseUrl("http://127.0.0.1/mail").build();
        String campaignId = tracker.createCampaign("alice", "Welcome").id().value();
        RegisteredEmail email =
                tracker.registerEmail(
                        Viewer.owner("alice"), campaignId, NewEmail.to("a@example.com", List.of()));
        int port = start(TrackingServlet.builder().tracker(tracker).hmacSecret(Tokens.SECRET));

        HttpResponse<byte[]> open = get(port, "/mail/open/" + email.trackingId());
        HttpResponse<byte[]> unknown = get(port, "/mail/nothing");

        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.headers().firstValue("Content-Type")).contains("image/gif");
        assertThat(store.status(email.trackingId(), Page.NEWEST).orElseThrow().counters())
                .extracting(EmailCounters::openCount)
                .isEqualTo(1L);
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    private int start(TrackingServlet.Builder servlet) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/mail");
        ServletHolder holder = new ServletHolder(servlet.build());
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/");
        server.setHandler(context);
        server.start();
        return connector.getLocalPort();
    }

    private HttpResponse<byte[]> get(int port, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + path);
        return http.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofByteArray());
    }
}
