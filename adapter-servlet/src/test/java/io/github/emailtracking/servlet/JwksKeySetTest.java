package io.github.emailtracking.servlet;

import static io.github.emailtracking.servlet.Jwks.ecJwk;
import static io.github.emailtracking.servlet.Jwks.ecKeyPair;
import static io.github.emailtracking.servlet.Jwks.jwks;
import static io.github.emailtracking.servlet.Jwks.keyPair;
import static io.github.emailtracking.servlet.Jwks.keyServer;
import static io.github.emailtracking.servlet.Jwks.location;
import static io.github.emailtracking.servlet.Jwks.rsaJwk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import io.github.emailtracking.api.SettableClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwksKeySetTest {

    private static final KeyPair FIRST = keyPair("RSA", 2048);
    private static final KeyPair SECOND = keyPair("RSA", 2048);

    @TempDir Path dir;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-02T09:00:00Z"));

    @Test
    void keyTakenOutOfTheSet_isRefusedOnceTheSetIsReadAgainAfterFiveMinutes() throws IOException {
        Path file = dir.resolve("jwks.json");
        Files.writeString(file, jwks(rsaJwk("k1", FIRST), rsaJwk("k2", SECOND)));
        List<Runnable> refreshes = new ArrayList<>();
        JwksKeySet keys = new JwksKeySet(file.toUri(), "RS256", clock, refreshes::add);
        Files.writeString(file, jwks(rsaJwk("k2", SECOND)));

        PublicKey withinFiveMinutes = rsaKey(keys, "k1");
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        PublicKey whileTheSetIsReadAgain = rsaKey(keys, "k1");
        refreshes.forEach(Runnable::run);
        PublicKey afterwards = rsaKey(keys, "k1");

        assertThat(withinFiveMinutes).isEqualTo(FIRST.getPublic());
        assertThat(whileTheSetIsReadAgain).isEqualTo(FIRST.getPublic());
        assertThat(refreshes).hasSize(1);
        assertThat(afterwards).isNull();
        assertThat(rsaKey(keys, "k2")).isEqualTo(SECOND.getPublic());
    }

    @Test
    void knownKeyOfAnOldSet_isFoundWithoutWaitingForTheRead() throws IOException {
        Path file = dir.resolve("jwks.json");
        Files.writeString(file, jwks(rsaJwk("k1", FIRST)));
        List<Runnable> refreshes = new ArrayList<>();
        JwksKeySet keys = new JwksKeySet(file.toUri(), "RS256", clock, refreshes::add);
        clock.advance(Duration.ofMinutes(6));

        PublicKey first = rsaKey(keys, "k1");
        PublicKey second = rsaKey(keys, "k1");

        assertThat(first).isEqualTo(FIRST.getPublic());
        assertThat(second).isEqualTo(FIRST.getPublic());
        assertThat(refreshes).hasSize(1);
    }

    @Test
    void urlWhoseSetHoldsNoUsableKey_isUnavailableSayingSo() throws IOException {
        HttpServer keyServer = keyServer(Jwks::jwks);
        try {
            JwksKeySet keys = new JwksKeySet(location(keyServer), "RS256", clock);

            assertThatThrownBy(() -> rsaKey(keys, "k1"))
                    .isInstanceOf(KeySetUnavailableException.class)
                    .hasMessageStartingWith("the token key set holds no key that can check tokens");
        } finally {
            keyServer.stop(0);
        }
    }

    @Test
    void setReadAgainWithoutAUsableKeyOrNotAtAll_keepsTheKeysReadBefore() throws IOException {
        Path file = dir.resolve("jwks.json");
        Files.writeString(file, jwks(rsaJwk("k1", FIRST)));
        JwksKeySet keys = new JwksKeySet(file.toUri(), "RS256", clock, Runnable::run);

        Files.writeString(file, jwks());
        clock.advance(Duration.ofMinutes(6));
        rsaKey(keys, "k1");
        PublicKey afterAnEmptySet = rsaKey(keys, "k1");
        Files.delete(file);
        clock.advance(Duration.ofMinutes(6));
        rsaKey(keys, "k1");
        PublicKey afterTheFileWentAway = rsaKey(keys, "k1");

        assertThat(afterAnEmptySet).isEqualTo(FIRST.getPublic());
        assertThat(afterTheFileWentAway).isEqualTo(FIRST.getPublic());
    }

    @Test
    void setWithoutAUsableKey_thatThenCannotBeRead_isUnavailableSayingSo() throws IOException {
        Path file = dir.resolve("jwks.json");
        Files.writeString(file, jwks());
        JwksKeySet keys = new JwksKeySet(file.toUri(), "RS256", clock, Runnable::run);

        clock.advance(Duration.ofMinutes(2));
        Throwable withoutKey = catchThrowable(() -> rsaKey(keys, "k1"));
        Files.delete(file);
        clock.advance(Duration.ofMinutes(2));
        Throwable unreadable = catchThrowable(() -> rsaKey(keys, "k1"));

        assertThat(withoutKey)
                .isInstanceOf(KeySetUnavailableException.class)
                .hasMessageStartingWith("the token key set holds no key that can check tokens");
        assertThat(unreadable)
                .isInstanceOf(KeySetUnavailableException.class)
                .hasMessageStartingWith("the token key set cannot be read right now");
    }

    @Test
    void twoKeysWithoutKid_theFirstIsKept() throws IOException {
        Path file = dir.resolve("jwks.json");
        String first = rsaJwk("k1", FIRST).replace("\"kid\":\"k1\",", "");
        String second = rsaJwk("k2", SECOND).replace("\"kid\":\"k2\",", "");
        Files.writeString(file, jwks(first, second));

        JwksKeySet keys = new JwksKeySet(file.toUri(), "RS256", clock);

        assertThat(rsaKey(keys, null)).isEqualTo(FIRST.getPublic());
    }

    @Test
    void ecKeyOffTheCurve_isRefusedSayingSo() throws IOException {
        Path file = dir.resolve("jwks.json");
        String offTheCurve =
                ecJwk("e1", ecKeyPair()).replaceAll("\"y\":\"[^\"]*\"", "\"y\":\"BQ\"");
        Files.writeString(file, jwks(offTheCurve));
        JwksKeySet keys = new JwksKeySet(file.toUri(), "ES256", clock);

        assertThatThrownBy(keys::requireKeys)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith(
                        "holds no usable ES256 key: key \"e1\": the key's point is not on the"
                                + " P-256 curve");
    }

    @Test
    void rsaKeyWithATooSmallExponent_isRefusedInPlainWords() throws IOException {
        Path file = dir.resolve("jwks.json");
        String smallExponent = rsaJwk("k1", FIRST).replaceAll("\"e\":\"[^\"]*\"", "\"e\":\"AQ\"");
        Files.writeString(file, jwks(smallExponent));
        JwksKeySet keys = new JwksKeySet(file.toUri(), "RS256", clock);

        assertThatThrownBy(keys::requireKeys)
                .hasMessageEndingWith(
                        "holds no usable RS256 key: key \"k1\": exponent is smaller" + " than 3");
    }

    @Test
    void keyServerThatStallsAfterItsHeaders_failsTheReadInsteadOfWaiting() throws IOException {
        CountDownLatch released = new CountDownLatch(1);
        HttpServer keyServer = stallingKeyServer(released);
        try {
            URI location =
                    URI.create(
                            "http://127.0.0.1:" + keyServer.getAddress().getPort() + "/jwks.json");

            JwksKeySet keys =
                    assertTimeoutPreemptively(
                            Duration.ofMinutes(1), () -> new JwksKeySet(location, "RS256", clock));

            assertThatThrownBy(keys::requireKeys)
                    .hasMessageEndingWith(
                            "holds no usable RS256 key: the key server sent no whole key set"
                                    + " within 5 s");
        } finally {
            released.countDown();
            keyServer.stop(0);
        }
    }

    /** Starts a key server that sends its headers and the start of a key set, then waits. */
    private static HttpServer stallingKeyServer(CountDownLatch released) throws IOException {
        HttpServer keyServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        keyServer.createContext(
                "/jwks.json",
                exchange -> {
                    byte[] start = "{\"keys\":[".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, 1000);
                    try (OutputStream body = exchange.getResponseBody()) {
                        body.write(start);
                        body.flush();
                        released.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (IOException e) {
                        // The client gave up, as it should.
                    }
                });
        keyServer.start();
        return keyServer;
    }

    private static PublicKey rsaKey(JwksKeySet keys, String keyId) {
        return keys.forRs256().getPublicKeyById(keyId);
    }
}
