package io.github.emailtracking.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientInfoTest {

    @Test
    void newClientInfo_addressAndAgentOnly_isAGetWithoutHeaders() {
        ClientInfo client = new ClientInfo("192.0.2.1", "Mail/1.0");

        assertThat(client.method()).isNull();
        assertThat(client.headers()).isEmpty();
        assertThat(client.header("Sec-Purpose")).isNull();
    }

    @Test
    void newClientInfo_headers_keepsOnlyThoseTheClassifierReadsUnderTheirNames() {
        Map<String, String> sent = new HashMap<>();
        sent.put("sec-purpose", "prefetch");
        sent.put("X-MOZ", "prefetch");
        sent.put("Cookie", "session=secret");
        sent.put("From", null);
        sent.put(null, "odd");

        ClientInfo client = new ClientInfo("192.0.2.1", "Mail/1.0", "GET", sent);

        assertThat(client.headers())
                .containsOnly(Map.entry("Sec-Purpose", "prefetch"), Map.entry("X-Moz", "prefetch"));
        assertThat(client.header("SEC-PURPOSE")).isEqualTo("prefetch");
        assertThat(client.header(null)).isNull();
    }

    @Test
    void newClientInfo_overlongValues_areCut() {
        ClientInfo client =
                new ClientInfo(
                        null,
                        "a".repeat(5_000),
                        "X".repeat(100),
                        Map.of("Purpose", "p".repeat(10_000)));

        assertThat(client.userAgent()).hasSize(ClientInfo.MAX_USER_AGENT_LENGTH);
        assertThat(client.method()).hasSize(ClientInfo.MAX_METHOD_LENGTH);
        assertThat(client.header("Purpose")).hasSize(ClientInfo.MAX_HEADER_LENGTH);
    }

    @Test
    void newClientInfo_userAgentWithHalfASurrogatePair_isMadeWhole() {
        String smile = "\uD83D\uDE00";

        assertThat(new ClientInfo(null, "a\uD800b" + smile).userAgent())
                .isEqualTo("a\uFFFDb" + smile);
        assertThat(new ClientInfo(null, "a\u0085b\u202Ec\u2028d\te").userAgent())
                .isEqualTo("a\uFFFDb\uFFFDc\uFFFDd\uFFFDe");
        assertThat(new ClientInfo(null, "a".repeat(511) + smile).userAgent())
                .isEqualTo("a".repeat(511));
        assertThat(new ClientInfo(null, "a".repeat(510) + smile).userAgent())
                .isEqualTo("a".repeat(510) + smile);
    }

    @Test
    void eventContextClient_carriesMethodAndHeadersToTheClassifier() {
        ClientInfo client =
                new ClientInfo("192.0.2.1", "Mail/1.0", "HEAD", Map.of("Purpose", "prefetch"));

        EventContext event =
                EventContext.builder(EventKind.OPEN, Instant.EPOCH).client(client).build();

        assertThat(event.method()).isEqualTo("HEAD");
        assertThat(event.purpose()).isEqualTo("prefetch");
        assertThat(event.ipAddress()).isEqualTo("192.0.2.1");
    }
}
