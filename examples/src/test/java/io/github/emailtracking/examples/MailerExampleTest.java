package io.github.emailtracking.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
                .startsWith("store:       SQLite " + folder.resolve("t.db") + "\n")
                .containsPattern("open pixel:  https://track\\.example\\.com/t/open/\\S+\n")
                .containsPattern("Message-ID: <[^<>\\s]+@[^<>\\s]+>\n")
                .containsPattern(
                        "List-Unsubscribe: <https://track\\.example\\.com/t/unsubscribe/\\S+>\n")
                .contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\n")
                .contains("<a href=\"https://track.example.com/t/click/");
    }

    @Test
    void run_badSettingOrAddress_saysWhyWithoutAStackTrace() {
        Map<String, String> badPort =
                Map.of("TRACKING_DB", folder.resolve("t.db").toString(), "TRACKING_PORT", "abc");
        Map<String, String> missingFolder =
                Map.of("TRACKING_DB", folder.resolve("no/such/folder/t.db").toString());
        Map<String, String> good = Map.of("TRACKING_DB", folder.resolve("t.db").toString());

        Run port = Run.of(badPort, "you@example.com");
        Run database = Run.of(missingFolder, "you@example.com");
        Run address = Run.of(good, "not an address");

        assertThat(port.status()).isEqualTo(2);
        assertThat(port.err())
                .startsWith("The email cannot be registered:\n")
                .contains("TRACKING_PORT");
        assertThat(database.status()).isEqualTo(2);
        assertThat(database.err()).contains("folder");
        assertThat(address.status()).isEqualTo(2);
        assertThat(address.err()).contains("recipientEmail");
        for (Run run : List.of(port, database, address)) {
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void run_withAMisspeltSetting_warnsOfIt_andRegisters() {
        Map<String, String> misspelt =
                Map.of(
                        "TRACKING_DB",
                        folder.resolve("t.db").toString(),
                        "TRACKING_PUBLIC_ULR",
                        "https://track.example.com/t");

        Run run = Run.of(misspelt, "you@example.com");

        assertThat(run.status()).isZero();
        assertThat(run.err())
                .isEqualTo(
                        "TRACKING_PUBLIC_ULR is not a setting and is ignored; is it misspelt?"
                                + System.lineSeparator());
        assertThat(run.out()).contains("open pixel:  http://localhost:8080/api/track/open/");
    }

    @Test
    void run_onAPortTheServerPicks_asksForThePublicUrl_andRegistersNothing() {
        Path database = folder.resolve("t.db");
        Map<String, String> anyPort =
                Map.of("TRACKING_DB", database.toString(), "TRACKING_PORT", "0");
        Map<String, String> anyPortWithUrl =
                Map.of(
                        "TRACKING_DB",
                        database.toString(),
                        "TRACKING_PORT",
                        "0",
                        "TRACKING_PUBLIC_URL",
                        "https://track.example.com/t");

        Run withoutUrl = Run.of(anyPort, "you@example.com");
        boolean registeredNothing = !Files.exists(database);
        Run withUrl = Run.of(anyPortWithUrl, "you@example.com");

        assertThat(withoutUrl.status()).isEqualTo(2);
        assertThat(withoutUrl.err()).contains("TRACKING_PUBLIC_URL");
        assertThat(registeredNothing).isTrue();
        assertThat(withUrl.status()).isZero();
        assertThat(withUrl.out()).contains("https://track.example.com/t/open/");
    }

    /** What one run of the example printed, and its exit status. */
    private record Run(int status, String out, String err) {

        static Run of(Map<String, String> environment, String recipient) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status =
                    MailerExample.run(
                            environment,
                            recipient,
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Run(
                    status,
                    out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        }
    }
}
