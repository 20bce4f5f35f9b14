package io.github.emailtracking.servlet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds {@code multipart/form-data} bodies by hand, so tests control every byte. */
final class Multipart {

    static final String BOUNDARY = "----tracking-test-boundary";
    static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    /** Adds a file part. */
    Multipart file(String field, String fileName, String contentType, byte[] content) {
        text("--" + BOUNDARY + "\r\n");
        text(
                "Content-Disposition: form-data; name=\""
                        + field
                        + "\"; filename=\""
                        + fileName
                        + "\"\r\n");
        text("Content-Type: " + contentType + "\r\n\r\n");
        body.writeBytes(content);
        text("\r\n");
        return this;
    }

    /** Adds a plain field. */
    Multipart field(String name, String value) {
        text("--" + BOUNDARY + "\r\n");
        text("Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n");
        text(value + "\r\n");
        return this;
    }

    /** Returns the body with its closing boundary. */
    byte[] build() {
        text("--" + BOUNDARY + "--\r\n");
        return body.toByteArray();
    }

    private void text(String text) {
        body.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
