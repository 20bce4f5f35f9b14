package io.github.emailtracking.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.emailtracking.api.Classification;
import io.github.emailtracking.api.Verdict;
import io.github.emailtracking.core.EventContext;
import io.github.emailtracking.core.EventKind;
import io.github.emailtracking.core.IpAddressPolicy;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServerConfigTest {

    @Test
    void fromEnvironment_nothingSet_usesTheDocumentedDefaults() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of());

        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.jdbcUrl()).startsWith("jdbc:sqlite:").endsWith("data/email-tracking.db");
        assertThat(config.tokens().generatesSecret()).isTrue();
        assertThat(config.ipAddresses()).isEqualTo(IpAddressPolicy.FULL);
        assertThat(config.retention()).isEmpty();
        assertThat(config.publicUrl()).isEqualTo("http://localhost:8080/api/track");
        assertThat(config.maxAttachmentBytes()).isEqualTo(26_214_400);
        assertThat(config.proxyHeader()).isEmpty();
        assertThat(config.attachmentDirectory()).isEmpty();
    }

    @Test
    void fromEnvironment_attachmentDirectory_isTakenAsAPath_andMadeWhenMissing(@TempDir Path dir) {
        Path files = dir.resolve("var/lib/files");

        ServerConfig config =
                ServerConfig.fromEnvironment(Map.of("TRACKING_ATTACHMENT_DIR", files.toString()));

        assertThat(config.attachmentDirectory()).contains(files);
        assertThat(files).isEmptyDirectory();
    }

    @Test
    void fromEnvironment_attachmentDirectoryNoFileCanBeWrittenIn_isAProblem() {
        // Not even root may create a file in /proc.
        assertThatThrownBy(
                        () ->
                                ServerConfig.fromEnvironment(
                                        Map.of("TRACKING_ATTACHMENT_DIR", "/proc")))
                .hasMessageContaining(
                        "TRACKING_ATTACHMENT_DIR /proc is not a directory the server can create or"
                                + " use");
    }

    @Test
    void fromEnvironment_jdbcUrl_isUsedAsIs() {
        String url = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

        ServerConfig config = ServerConfig.fromEnvironment(Map.of("TRACKING_DB", url));

        assertThat(config.jdbcUrl()).isEqualTo(url);
        assertThat(config.databaseDescription()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/test");
    }

    @Test
    void fromEnvironment_urlWithoutJdbc_isRefusedWithoutRepeatingIt() {
        Map<String, String> env = Map.of("TRACKING_DB", "postgresql://app:hunter2@db/tracking");

        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "TRACKING_DB must be an SQLite file path or a jdbc: URL such as"
                                + " jdbc:postgresql://host/db, not a postgresql: URL")
                .hasMessageNotContaining("hunter2");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "sqlite:/data/t.db | TRACKING_DB must be an SQLite file path or a jdbc: URL such as"
                        + " jdbc:postgresql://host/db, not a sqlite: URL",
                "file:/data/t.db | TRACKING_DB must be an SQLite file path or a jdbc: URL such as"
                        + " jdbc:postgresql://host/db, not a file: URL",
                "/data/t.db?mode=ro | TRACKING_DB must not hold a '?' in its file path: the SQLite"
                        + " driver would read what follows as settings"
            })
    void fromEnvironment_databaseThatIsNoFilePath_isRefused(String db, String message) {
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("TRACKING_DB", db)))
                .hasMessage(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:postgresql://", "jdbc:postgresql:///", "jdbc:postgresql://db/"})
    void fromEnvironment_postgresUrlNamingNoDatabase_isRefused(String db) {
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("TRACKING_DB", db)))
                .hasMessage(
                        "TRACKING_DB: jdbcUrl must name a PostgreSQL database, as in"
                                + " jdbc:postgresql://host:5432/name, not "
                                + db
                                + ": without one the driver connects to the database named after"
                                + " the user");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/nonexistent-folder/x.db",
                "jdbc:sqlite:/nonexistent-folder/x.db",
                "jdbc:sqlite:file:/nonexistent-folder/x.db?cache=private"
            })
    void fromEnvironment_sqliteFileInAMissingFolder_isRefused(String db) {
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("TRACKING_DB", db)))
                .hasMessage(
                        "TRACKING_DB names a file in /nonexistent-folder, which is not a folder"
                                + " that exists; create it first");
    }

    @Test
    void fromEnvironment_sqliteFileInAFolderThatExists_isTaken(@TempDir Path folder) {
        Path file = folder.resolve("t.db");

        ServerConfig config = ServerConfig.fromEnvironment(Map.of("TRACKING_DB", file.toString()));

        assertThat(config.jdbcUrl()).isEqualTo("jdbc:sqlite:" + file);
    }

    @Test
    void fromEnvironment_hostWithSpaces_isStripped_orRefusedWhenItHoldsSome() {
        assertThat(ServerConfig.fromEnvironment(Map.of("TRACKING_HOST", " 127.0.0.1 ")).host())
                .contains("127.0.0.1");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("TRACKING_HOST", "a b")))
                .hasMessage(
                        "TRACKING_HOST must be an address or a host name such as 127.0.0.1, or"
                                + " unset for every interface");
    }

    @Test
    void fromEnvironment_weakRsaPublicKey_isReportedUnderItsSetting(@TempDir Path dir)
            throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        String pem =
                "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(
                                        generator.generateKeyPair().getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n";
        Path key = Files.writeString(dir.resolve("weak.pem"), pem);
        Map<String, String> env =
                Map.of(
                        "TRACKING_JWT_ALGORITHM",
                        "RS256",
                        "TRACKING_JWT_PUBLIC_KEY",
                        key.toString());

        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env))
                .hasMessage(
                        "TRACKING_JWT_PUBLIC_KEY: the RSA key must have at least 2048 bits, not"
                                + " 1024");
    }

    @Test
    void fromEnvironment_unknownAlgorithm_isTheOnlyTokenProblem() {
        Map<String, String> env = Map.of("TRACKING_JWT_ALGORITHM", "none");

        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env))
                .hasMessage("TRACKING_JWT_ALGORITHM must be HS256, RS256 or ES256, not none");
    }

    @Test
    void fromEnvironment_valuesOfSpaces_andWhatTheLibraryRefuses_areReportedTogether(
            @TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        Map<String, String> env =
                Map.of(
                        "TRACKING_PORT", "abc",
                        "TRACKING_JWT_ISSUER", "   ",
                        "TRACKING_ATTACHMENT_DIR", file.toString(),
                        "TRACKING_DB", "jdbc:mysql://db/x?password=hunter2",
                        "TRACKING_WEBHOOK_SECRET", "                    ",
                        "TRACKING_PUBLIC_URL", "https://user:hunter2@track.example.com/t");

        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env))
                .hasMessageContaining("TRACKING_PORT must be a whole number")
                .hasMessageContaining("TRACKING_JWT_ISSUER holds only spaces")
                .hasMessageContaining(
                        "TRACKING_ATTACHMENT_DIR "
                                + file
                                + " is not a directory the server can create or use")
                .hasMessageContaining(
                        "TRACKING_DB: jdbcUrl must start with jdbc:sqlite: or jdbc:postgresql:")
                .hasMessageContaining("TRACKING_WEBHOOK_SECRET holds only spaces")
                .hasMessageContaining(
                        "TRACKING_PUBLIC_URL: publicBaseUrl must not carry a user name or password")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void fromEnvironment_sqliteUrlWithAQuery_isDescribedWithoutIt(@TempDir Path folder) {
        Path file = folder.resolve("t.db");
        ServerConfig config =
                ServerConfig.fromEnvironment(
                        Map.of("TRACKING_DB", "jdbc:sqlite:" + file + "?password=hunter2"));

        assertThat(config.databaseDescription()).isEqualTo("SQLite " + file);
    }

    @Test
    void fromEnvironment_sqliteUrlOfARelativePath_isDescribedByTheAbsoluteOne() {
        ServerConfig config =
                ServerConfig.fromEnvironment(
                        Map.of("TRACKING_DB", "jdbc:sqlite:target/t.db?journal_mode=WAL"));

        assertThat(config.databaseDescription())
                .isEqualTo("SQLite " + Path.of("target/t.db").toAbsolutePath());
    }

    @Test
    void fromEnvironment_host_isWhereTheServerListens() {
        Map<String, String> env = Map.of("TRACKING_HOST", "127.0.0.1");

        assertThat(ServerConfig.fromEnvironment(env).host()).contains("127.0.0.1");
        assertThat(ServerConfig.fromEnvironment(Map.of()).host()).isEmpty();
    }

    @Test
    void fromEnvironment_trustProxy_namesTheHeaderTheProxyWrites() {
        assertThat(proxyHeader("false")).isEmpty();
        assertThat(proxyHeader("TRUE")).contains(ProxyForwarding.Header.X_FORWARDED_FOR);
        assertThat(proxyHeader(" x-forwarded-for "))
                .contains(ProxyForwarding.Header.X_FORWARDED_FOR);
        assertThat(proxyHeader("Forwarded")).contains(ProxyForwarding.Header.FORWARDED);
        assertThatThrownBy(() -> proxyHeader("yes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "TRACKING_TRUST_PROXY must be false, true (the same as x-forwarded-for) or"
                                + " forwarded, not \"yes\"");
    }

    private static Optional<ProxyForwarding.Header> proxyHeader(String trustProxy) {
        return ServerConfig.fromEnvironment(Map.of("TRACKING_TRUST_PROXY", trustProxy))
                .proxyHeader();
    }

    @Test
    void unknownSettings_areTheTrackingVariablesTheServerDoesNotRead() {
        Map<String, String> env =
                Map.of(
                        "TRACKING_JWT_SECRTE", "a secret",
                        "TRACKING_PORT", "8080",
                        "TRACKING_ZZZ", "",
                        "PATH", "/usr/bin");

        assertThat(ServerConfig.unknownSettings(env))
                .containsExactly("TRACKING_JWT_SECRTE", "TRACKING_ZZZ");
    }

    @Test
    void settings_areThoseTheReadmeListsAndTheCodeReads() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String table =
                readme.substring(
                        readme.indexOf("## Configuration of the standalone server"),
                        readme.indexOf("An empty value counts as unset"));
        Set<String> listed = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| ([^|]+) \\|").matcher(table);
        while (row.find()) {
            Matcher name = Pattern.compile("`(TRACKING_[A-Z_]+)`").matcher(row.group(1));
            while (name.find()) {
                listed.add(name.group(1));
            }
        }
        Set<String> read = new TreeSet<>();
        for (String source : List.of("ServerConfig.java", "TokenConfig.java")) {
            Matcher literal =
                    Pattern.compile("\"(TRACKING_[A-Z_]+)\"")
                            .matcher(
                                    Files.readString(
                                            Path.of(
                                                    "src/main/java/io/github/emailtracking"
                                                            + "/examples",
                                                    source)));
            while (literal.find()) {
                read.add(literal.group(1));
            }
        }

        assertThat(listed).isEqualTo(new TreeSet<>(ServerConfig.SETTINGS));
        assertThat(read).isEqualTo(new TreeSet<>(ServerConfig.SETTINGS));
    }

    @Test
    void fromEnvironment_otherPort_movesTheDefaultPublicUrl() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of("TRACKING_PORT", "9090"));

        assertThat(config.publicUrl()).isEqualTo("http://localhost:9090/api/track");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uff18\uff10\uff18\uff10", "+8080", "8\u00a0080", "0x1F90", "1e3"})
    void fromEnvironment_numberInAnyOtherWritingThanAsciiDigits_isAProblem(String port) {
        Map<String, String> env = Map.of("TRACKING_PORT", port);

        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TRACKING_PORT must be a whole number from 0 to 65535");
    }

    @Test
    void fromEnvironment_numberWithSpacesAtItsEnds_isRead() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of("TRACKING_PORT", " 9090 "));

        assertThat(config.port()).isEqualTo(9090);
    }

    @Test
    void fromEnvironment_everyProblem_isReportedAtOnce() {
        Map<String, String> env =
                Map.of(
                        "TRACKING_PORT", "eighty",
                        "TRACKING_JWT_SECRET", "too short",
                        "TRACKING_MAX_ATTACHMENT_BYTES", "0");

        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "TRACKING_PORT must be a whole number from 0 to 65535, not \"eighty\"")
                .hasMessageContaining("TRACKING_JWT_SECRET must be at least 32 bytes")
                .hasMessageContaining("TRACKING_MAX_ATTACHMENT_BYTES");
    }

    @Test
    void fromEnvironment_publicKeyWithHs256_orNoKeyWithRs256_isReported() {
        assertThatThrownBy(
                        () ->
                                ServerConfig.fromEnvironment(
                                        Map.of("TRACKING_JWT_ALGORITHM", "RS256")))
                .hasMessageContaining(
                        "RS256 needs exactly one of TRACKING_JWT_PUBLIC_KEY and TRACKING_JWKS_URL");
        assertThatThrownBy(
                        () ->
                                ServerConfig.fromEnvironment(
                                        Map.of("TRACKING_JWKS_URL", "https://id.example/jwks")))
                .hasMessageContaining("need TRACKING_JWT_ALGORITHM=RS256 or ES256");
        assertThatThrownBy(
                        () ->
                                ServerConfig.fromEnvironment(
                                        Map.of("TRACKING_JWT_ALGORITHM", "none")))
                .hasMessageContaining("must be HS256, RS256 or ES256");
    }

    @Test
    void fromEnvironment_privacySettings_areRead() {
        ServerConfig config =
                ServerConfig.fromEnvironment(
                        Map.of(
                                "TRACKING_IP_ADDRESSES", "Truncated",
                                "TRACKING_RETENTION_DAYS", "90",
                                "TRACKING_COLLAPSE_OPENS_SECONDS", "60",
                                "TRACKING_MAX_EVENTS_PER_EMAIL", "500"));

        assertThat(config.ipAddresses()).isEqualTo(IpAddressPolicy.TRUNCATED);
        assertThat(config.retention()).contains(java.time.Duration.ofDays(90));
        assertThat(config.collapseOpens()).hasSeconds(60);
        assertThat(config.maxEventsPerEmail()).contains(500);
        assertThatThrownBy(
                        () -> ServerConfig.fromEnvironment(Map.of("TRACKING_IP_ADDRESSES", "some")))
                .hasMessageContaining("full, truncated or none");
    }

    @Test
    void fromEnvironment_maxUnfoldedOpens_isReadAndMustBePositive() {
        ServerConfig config =
                ServerConfig.fromEnvironment(Map.of("TRACKING_MAX_UNFOLDED_OPENS", "1000000"));

        assertThat(config.maxUnfoldedOpens()).contains(1_000_000);
        assertThat(ServerConfig.fromEnvironment(Map.of()).maxUnfoldedOpens()).isEmpty();
        assertThatThrownBy(
                        () ->
                                ServerConfig.fromEnvironment(
                                        Map.of("TRACKING_MAX_UNFOLDED_OPENS", "0")))
                .hasMessageContaining("TRACKING_MAX_UNFOLDED_OPENS");
    }

    @Test
    void fromEnvironment_allowedHosts_areSplitOnCommas() {
        ServerConfig config =
                ServerConfig.fromEnvironment(
                        Map.of(
                                "TRACKING_ALLOWED_REDIRECT_HOSTS",
                                " example.com, docs.example.com ,"));

        assertThat(config.allowedRedirectHosts())
                .containsExactly("example.com", "docs.example.com");
    }

    @Test
    void fromEnvironment_classifierRulesFile_isTriedBeforeTheBuiltInRules(@TempDir Path dir)
            throws IOException {
        Path rules = dir.resolve("rules.txt");
        Files.writeString(rules, "agent machine partner-checker contains PartnerLinkCheck/\n");
        EventContext click =
                EventContext.builder(EventKind.CLICK, Instant.parse("2026-03-02T12:00:00Z"))
                        .userAgent("Mozilla/5.0 PartnerLinkCheck/2.1")
                        .build();

        ServerConfig config =
                ServerConfig.fromEnvironment(Map.of("TRACKING_CLASSIFIER_RULES", rules.toString()));

        assertThat(config.classifier().classify(click))
                .isEqualTo(new Classification(Verdict.MACHINE, "partner-checker"));
    }

    @Test
    void fromEnvironment_unreadableOrWrongRulesFile_isReported(@TempDir Path dir)
            throws IOException {
        Path wrong = dir.resolve("wrong.txt");
        Files.writeString(wrong, "agent sometimes nobody contains x\n");

        assertThatThrownBy(
                        () ->
                                ServerConfig.fromEnvironment(
                                        Map.of("TRACKING_CLASSIFIER_RULES", wrong.toString())))
                .hasMessageContaining("TRACKING_CLASSIFIER_RULES " + wrong + ":")
                .hasMessageContaining("line 1");
        assertThatThrownBy(
                        () ->
                                ServerConfig.fromEnvironment(
                                        Map.of(
                                                "TRACKING_CLASSIFIER_RULES",
                                                dir.resolve("missing.txt").toString())))
                .hasMessageContaining("cannot be read");
    }

    @Test
    void fromEnvironment_jwksUrlWithItsSchemeInCapitals_isTaken() {
        ServerConfig config =
                ServerConfig.fromEnvironment(
                        Map.of(
                                "TRACKING_JWT_ALGORITHM", "RS256",
                                "TRACKING_JWKS_URL", "HTTPS://id.example/jwks"));

        assertThat(config.tokens().jwks()).contains(URI.create("HTTPS://id.example/jwks"));
    }

    @Test
    void fromEnvironment_jwksOverPlainHttpOrMissingFile_isReported() {
        Map<String, String> http =
                Map.of(
                        "TRACKING_JWT_ALGORITHM", "RS256",
                        "TRACKING_JWKS_URL", "http://id.example/jwks");
        Map<String, String> missing =
                Map.of(
                        "TRACKING_JWT_ALGORITHM", "RS256",
                        "TRACKING_JWKS_URL", "file:/nonexistent/jwks.json");

        assertThatThrownBy(() -> ServerConfig.fromEnvironment(http))
                .hasMessage("TRACKING_JWKS_URL must be a file: or https: URL, not a http: URL");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(missing))
                .hasMessage("TRACKING_JWKS_URL file:/nonexistent/jwks.json is not a readable file");
    }

    @Test
    void fromEnvironment_jwksFileWithoutAUsableKey_isReportedWithoutItsContent(@TempDir Path dir)
            throws Exception {
        Path notJson = Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Path noKeys = Files.writeString(dir.resolve("empty.json"), "{\"keys\":[]}");

        assertThatThrownBy(() -> ServerConfig.fromEnvironment(keySet(notJson)))
                .hasMessage(
                        "TRACKING_JWKS_URL: the key set at "
                                + notJson.toUri()
                                + " holds no usable RS256 key: it is not JSON");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(keySet(noKeys)))
                .hasMessage(
                        "TRACKING_JWKS_URL: the key set at "
                                + noKeys.toUri()
                                + " holds no usable RS256 key");
    }

    private static Map<String, String> keySet(Path file) {
        return Map.of(
                "TRACKING_JWT_ALGORITHM", "RS256", "TRACKING_JWKS_URL", file.toUri().toString());
    }

    @Test
    void fromEnvironment_settingsTheLibraryRefuses_areReportedWithTheOthers() {
        Map<String, String> env =
                Map.of(
                        "TRACKING_PUBLIC_URL", "not a url",
                        "TRACKING_ALLOWED_REDIRECT_HOSTS", "*.good.com",
                        "TRACKING_WEBHOOK_SECRET", "short",
                        "TRACKING_PORT", "eighty");

        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env))
                .hasMessageContaining("TRACKING_PORT must be a whole number")
                .hasMessageContaining("TRACKING_PUBLIC_URL: ")
                .hasMessageContaining("TRACKING_ALLOWED_REDIRECT_HOSTS: ")
                .hasMessageContaining("TRACKING_WEBHOOK_SECRET: ");
    }
}
