package io.github.emailtracking.servlet;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** JSON Web Keys and key sets written out for tests, and the key pairs behind them. */
final class Jwks {

    private Jwks() {}

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
