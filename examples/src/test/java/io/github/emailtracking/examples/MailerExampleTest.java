package io.github.emailtracking.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailerExampleTest {

    @TempDir Path folder;

    @Test
    void register_printsTheUrls_theHeadersToSendWith_andTheBody() {
        ServerConfig config =
                ServerConfig.fromEnvironment(
                        Map.of(
                                "TRACKING_DB",
                                folder.resolve("t.db").toString(),
                                "TRACKING_PUBLIC_URL",
                                "https://track.example.com/t"));

        String printed = MailerExample.register(config, "you@example.com");

        assertThat(printed)
                .containsPattern("open pixel:  https://track\\.example\\.com/t/open/\\S+\n")
                .containsPattern("Message-ID: <[^<>\\s]+@[^<>\\s]+>\n")
                .containsPattern(
                        "List-Unsubscribe: <https://track\\.example\\.com/t/unsubscribe/\\S+>\n")
                .contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\n")
                .contains("<a href=\"https://track.example.com/t/click/");
    }
}
