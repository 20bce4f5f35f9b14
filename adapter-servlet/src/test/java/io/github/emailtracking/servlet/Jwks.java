package io.github.emailtracking.servlet;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.function.Supplier;

/** JSON Web Keys and key sets written out for tests, and the key pairs behind them. */
final class Jwks {

    private Jwks() {}

    /**
     * Starts a key server on a free port of 127.0.0.1 that answers each fetch of {@code /jwks.json}
     * with the document {@code document} gives at that moment.
     */
    static HttpServer keyServer(Supplier<String> document) throws IOException {
        HttpServer keyServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        keyServer.createContext(
                "/jwks.json",
                exchange -> {
                    byte[] body = document.get().getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
        keyServer.start();
        return keyServer;
    }

    /** Returns the URL of a key server's set. */
    static URI location(HttpServer keyServer) {
        return URI.create("http://127.0.0.1:" + keyServer.getAddress().getPort() + "/jwks.json");
    }

    static String jwks(String... keys) {
        return "{\"keys\":[" + String.join(",", keys) + "]}";
    }

    static String rsaJwk(String kid, KeyPair keys) {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        return "{\"kty\":\"RSA\",\"kid\":\""
                + kid
                + "\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\""
                + base64(key.getModulus().toByteArray())
                + "\",\"e\":\""
                + base64(key.getPublicExponent().toByteArray())
                + "\"}";
    }

    /** Returns the key with {@code key_ops} set to the JSON value, in place of its {@code use}. */
    static String withOperations(String jwk, String operations) {
        return jwk.replace("\"use\":\"sig\"", "\"key_ops\":" + operations);
    }

    static String ecJwk(String kid, KeyPair keys) {
        ECPublicKey key = (ECPublicKey) keys.getPublic();
        return "{\"kty\":\"EC\",\"kid\":\""
                + kid
                + "\",\"crv\":\"P-256\",\"x\":\""
                + base64(key.getW().getAffineX().toByteArray())
                + "\",\"y\":\""
                + base64(key.getW().getAffineY().toByteArray())
                + "\"}";
    }

    static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static KeyPair keyPair(String algorithm, int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
