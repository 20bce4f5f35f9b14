package io.github.emailtracking.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.core.EmailTracker;
import io.github.emailtracking.core.RegisteredEmail;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttachmentRoutesTest extends RouteTestSupport {

    private static final long DEFAULT_LIMIT = 26_214_400;

    @Test
    void upload_multipartFile_isStored_andAnsweredWithItsDescription() {
        RegisteredEmail email = registerEmail("alice");
        byte[] content = bytes(125_000);

        HttpResponse<String> response =
                upload(
                        email,
                        new Multipart().file("file", "document.pdf", "application/pdf", content));

        JsonNode body = json(response);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(body.get("fileName").asText()).isEqualTo("document.pdf");
        assertThat(body.get("fileSize").asLong()).isEqualTo(125_000);
        assertThat(body.get("uploadedDateTime").asText()).isEqualTo("2026-02-10T11:15:00Z");
        assertThat(body.get("attachmentId").asText()).isNotBlank();
    }

    @Test
    void upload_underTheHighestLimit_isStored_asMultipartAndAsJson() throws Exception {
        restartWithTheHighestAttachmentLimit();
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> multipart =
                upload(email, new Multipart().file("file", "a.txt", "text/plain", bytes(26)));
        HttpResponse<String> json =
                post(
                        "/reply-attachment/" + email.trackingId(),
                        "{\"name\":\"b.txt\",\"contentBytes\":\"aGVsbG8=\"}",
                        "Content-Type",
                        "application/json");

        assertThat(multipart.statusCode()).as(multipart.body()).isEqualTo(200);
        assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
    }

    @Test
    void upload_thenDownload_returnsTheSameBytesWithSafeHeaders() {
        RegisteredEmail email = registerEmail("alice");
        byte[] content = bytes(70_000);
        String id =
                json(upload(
                                email,
                                new Multipart()
                                        .field("note", "first a field")
                                        .file(
                                                "file",
                                                "Angebot für Müller \"final\".pdf",
                                                "application/pdf",
                                                content)))
                        .get("attachmentId")
                        .asText();

        HttpResponse<byte[]> download =
                getBytes("/reply-attachment/" + id, "Authorization", bearer(Tokens.owner("alice")));

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(content);
        assertThat(download.headers().firstValue("Content-Type")).contains("application/pdf");
        assertThat(download.headers().firstValue("Content-Length")).contains("70000");
        assertThat(download.headers().firstValue("Content-Disposition"))
                .contains(
                        "attachment; filename=\"Angebot f_r M_ller _final_.pdf\"; "
                                + "filename*=UTF-8''Angebot%20f%C3%BCr%20M%C3%BCller"
                                + "%20%22final%22.pdf");
        assertThat(download.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(download.headers().firstValue("Content-Security-Policy"))
                .contains("default-src 'none'; sandbox");
        assertThat(download.headers().firstValue("Cache-Control")).contains("private, no-store");
    }

    @Test
    void download_head_answersTheHeadersWithoutTheBytes() {
        RegisteredEmail email = registerEmail("alice");
        String id =
                json(upload(
                                email,
                                new Multipart()
                                        .file("file", "a.pdf", "application/pdf", bytes(1234))))
                        .get("attachmentId")
                        .asText();

        HttpResponse<String> head =
                send(
                        request(
                                        "/reply-attachment/" + id,
                                        "Authorization",
                                        bearer(Tokens.owner("alice")))
                                .method("HEAD", BodyPublishers.noBody())
                                .build());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).contains("1234");
        assertThat(head.headers().firstValue("Content-Disposition")).isPresent();
        assertThat(head.body()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "text/html",
                "image/svg+xml",
                "application/x-shockwave-flash",
                "multipart/x-mixed-replace",
                "text/xsl",
                "application/x-javascript",
                "text/jscript",
                "application/wasm",
                "text/cache-manifest",
                "text/x-html",
                "image/vnd.svg+xml",
                "image/svg",
                "image/x-xbitmap",
                "audio/mpegurl",
                "video/vnd.mpegurl",
                "message/rfc822",
                "application/vnd.openxmlformats-officedocument.x+xml"
            })
    void download_fileABrowserCouldRun_isServedAsOctetStream(String type) {
        RegisteredEmail email = registerEmail("alice");
        byte[] html = "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8);
        String id =
                json(upload(email, new Multipart().file("file", "x.html", type, html)))
                        .get("attachmentId")
                        .asText();

        HttpResponse<byte[]> download =
                getBytes("/reply-attachment/" + id, "Authorization", bearer(Tokens.owner("alice")));

        assertThat(download.headers().firstValue("Content-Type"))
                .contains("application/octet-stream");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "application/pdf",
                "image/png",
                "text/plain",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            })
    void download_fileABrowserOnlyShows_isServedAsDeclared(String type) {
        RegisteredEmail email = registerEmail("alice");
        String id =
                json(upload(email, new Multipart().file("file", "x", type, bytes(10))))
                        .get("attachmentId")
                        .asText();

        HttpResponse<byte[]> download =
                getBytes("/reply-attachment/" + id, "Authorization", bearer(Tokens.owner("alice")));

        assertThat(download.headers().firstValue("Content-Type")).contains(type);
    }

    @Test
    void download_anotherOwnersAttachment_is404() {
        RegisteredEmail email = registerEmail("alice");
        String id =
                json(upload(email, new Multipart().file("file", "a.txt", "text/plain", bytes(10))))
                        .get("attachmentId")
                        .asText();

        HttpResponse<String> response =
                get("/reply-attachment/" + id, "Authorization", bearer(Tokens.owner("bob")));

        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void status_listsTheAttachment() {
        RegisteredEmail email = registerEmail("alice");
        upload(
                email,
                new Multipart().file("file", "signed-contract.pdf", "application/pdf", bytes(42)));

        HttpResponse<String> response =
                get(
                        "/status/" + email.trackingId(),
                        "Authorization",
                        bearer(Tokens.owner("alice")));

        JsonNode attachment = json(response).get("replyAttachments").get(0);
        assertThat(attachment.get("fileName").asText()).isEqualTo("signed-contract.pdf");
        assertThat(attachment.get("fileSize").asLong()).isEqualTo(42);
        assertThat(attachment.get("uploadedAt").asText()).isEqualTo("2026-02-10T11:15:00Z");
    }

    @Test
    void upload_withoutFilePart_is400NoFileUploaded() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response = upload(email, new Multipart().field("other", "value"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body())
                .isEqualTo("{\"success\":false,\"message\":\"No file uploaded\"}");
    }

    @Test
    void upload_notMultipart_is400NoFileUploaded() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response =
                post(
                        "/reply-attachment/" + email.trackingId(),
                        "{}",
                        "Content-Type",
                        "application/json");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText()).isEqualTo("No file uploaded");
    }

    @Test
    void upload_unknownTrackingId_is404_andStoresNothing() {
        HttpResponse<String> response =
                send(
                        request("/reply-attachment/unknown", "Content-Type", Multipart.CONTENT_TYPE)
                                .POST(
                                        BodyPublishers.ofByteArray(
                                                new Multipart()
                                                        .file(
                                                                "file",
                                                                "a.txt",
                                                                "text/plain",
                                                                bytes(10))
                                                        .build()))
                                .build());

        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void upload_exactlyTheDefaultLimit_isStored_oneByteMoreIs413() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> atLimit =
                upload(
                        email,
                        new Multipart()
                                .file(
                                        "file",
                                        "big.bin",
                                        "application/octet-stream",
                                        new byte[(int) DEFAULT_LIMIT]));
        HttpResponse<String> overLimit =
                upload(
                        email,
                        new Multipart()
                                .file(
                                        "file",
                                        "big.bin",
                                        "application/octet-stream",
                                        new byte[(int) DEFAULT_LIMIT + 1]));

        assertThat(atLimit.statusCode()).isEqualTo(200);
        assertThat(json(atLimit).get("fileSize").asLong()).isEqualTo(DEFAULT_LIMIT);
        assertThat(overLimit.statusCode()).isEqualTo(413);
        assertThat(json(overLimit).get("message").asText()).contains("26214400");
        assertThat(store.status(email.trackingId(), Page.NEWEST).orElseThrow().attachments())
                .hasSize(1);
    }

    @Test
    void upload_declaredLengthOverTheLimit_is413BeforeTheBodyIsRead() throws IOException {
        RegisteredEmail email = registerEmail("alice");
        String head = uploadHead(email, Multipart.CONTENT_TYPE, DEFAULT_LIMIT + 64 * 1024 + 1);

        RawHttp.Answer answer = RawHttp.send(server.port(), head, bytes(1000));

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.body())
                .contains(
                        "the request body is larger than the file's limit of 26214400 bytes"
                                + " allows, with 65536 bytes for the rest of the multipart body");
        assertThat(store.status(email.trackingId(), Page.NEWEST).orElseThrow().attachments())
                .isEmpty();
    }

    @Test
    void upload_bodyOfNoDeclaredLengthOverTheLimit_is413NamingTheBodysLimit() throws Exception {
        tracker = trackerSettings().publicBaseUrl(PUBLIC_BASE).maxAttachmentBytes(1000).build();
        restartWith(servletSettings());
        RegisteredEmail email = registerEmail("alice");
        byte[] body =
                new Multipart()
                        .file("photo", "b.bin", "application/octet-stream", bytes(70_000))
                        .file("file", "a.bin", "application/octet-stream", bytes(10))
                        .build();

        HttpResponse<String> response =
                uploadBody(
                        email, BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).get("message").asText())
                .isEqualTo(
                        "the request body is larger than the file's limit of 1000 bytes allows,"
                                + " with 65536 bytes for the rest of the multipart body");
    }

    @Test
    void upload_toAnUnknownEmailOrWithoutBoundary_isRefusedWithoutInvitingTheBody()
            throws IOException {
        RegisteredEmail email = registerEmail("alice");
        String unknown =
                uploadHead(email, Multipart.CONTENT_TYPE, 20_000_000)
                        .replace(email.trackingId().value(), "AAAAAAAAAAAAAAAAAAAAAA")
                        .replace("\r\n\r\n", "\r\nExpect: 100-continue\r\n\r\n");
        String noBoundary =
                uploadHead(email, "multipart/form-data", 20_000_000)
                        .replace("\r\n\r\n", "\r\nExpect: 100-continue\r\n\r\n");

        RawHttp.Answer unknownAnswer = RawHttp.send(server.port(), unknown, new byte[0]);
        RawHttp.Answer noBoundaryAnswer = RawHttp.send(server.port(), noBoundary, new byte[0]);

        assertThat(unknownAnswer.status()).isEqualTo(404);
        assertThat(noBoundaryAnswer.status()).isEqualTo(400);
        assertThat(noBoundaryAnswer.body())
                .contains("a multipart body's Content-Type must name a boundary");
        assertThat(unknownAnswer.text() + noBoundaryAnswer.text()).doesNotContain("100 Continue");
    }

    @Test
    void upload_declaredLengthOverTheLimit_expectingContinue_is413WithoutInvitingTheBody()
            throws IOException {
        RegisteredEmail email = registerEmail("alice");
        String head =
                uploadHead(email, Multipart.CONTENT_TYPE, 999_999_999L)
                        .replace("\r\n\r\n", "\r\nExpect: 100-continue\r\n\r\n");

        RawHttp.Answer answer = RawHttp.send(server.port(), head, new byte[0]);

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.text()).doesNotContain("100 Continue");
        assertThat(answer.hasHeader("Connection", "close")).isTrue();
    }

    @Test
    void upload_bodyCutShort_storesNothing() throws IOException {
        RegisteredEmail email = registerEmail("alice");
        byte[] body =
                new Multipart()
                        .file("file", "a.bin", "application/octet-stream", bytes(50_000))
                        .build();
        String head =
                "POST "
                        + TrackingTestServer.MOUNT
                        + "/reply-attachment/"
                        + email.trackingId()
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                        + "Content-Type: "
                        + Multipart.CONTENT_TYPE
                        + "\r\n"
                        + "Content-Length: "
                        + body.length
                        + "\r\n\r\n";
        byte[] half = java.util.Arrays.copyOf(body, body.length / 2);

        try (var socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(half);
            socket.shutdownOutput();
            socket.getInputStream().readAllBytes();
        }

        assertThat(store.status(email.trackingId(), Page.NEWEST).orElseThrow().attachments())
                .isEmpty();
    }

    @Test
    void upload_fileNameWithNul_isStoredUnderTheCleanedName() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response =
                upload(
                        email,
                        new Multipart().file("file", "a.pdf\u0000.html", "text/plain", bytes(2)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("fileName").asText()).isEqualTo("a.pdf.html");
        HttpResponse<String> status =
                get(
                        "/status/" + email.trackingId(),
                        "Authorization",
                        bearer(Tokens.owner("alice")));
        assertThat(json(status).get("replyAttachments").get(0).get("fileName").asText())
                .isEqualTo("a.pdf.html");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "=?UTF-8?B?w7w=?=.pdf",
                "=?UTF-8?Q?caf=C3=A9?=.pdf",
                "=?UTF-8?B?invalid!!?=.pdf",
                "notes =?UTF-8?B?w7w=?= final.txt"
            })
    void upload_fileNameLikeAnEncodedWord_isKeptAsWritten(String fileName) {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response =
                upload(email, new Multipart().file("file", fileName, "text/plain", bytes(2)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("fileName").asText()).isEqualTo(fileName);
    }

    @Test
    void upload_fileNameWithNulForAnUnknownTrackingId_is404() {
        HttpResponse<String> response =
                send(
                        request("/reply-attachment/unknown", "Content-Type", Multipart.CONTENT_TYPE)
                                .POST(
                                        BodyPublishers.ofByteArray(
                                                new Multipart()
                                                        .file(
                                                                "file",
                                                                "a.pdf\u0000.html",
                                                                "text/plain",
                                                                bytes(2))
                                                        .build()))
                                .build());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("success").asBoolean()).isFalse();
    }

    @Test
    void upload_partHeadersOverTheLimit_is413NamingThePartHeaderLimit() {
        RegisteredEmail email = registerEmail("alice");
        String body =
                "--"
                        + Multipart.BOUNDARY
                        + "\r\n"
                        + "Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                        + "X-Big: "
                        + "x".repeat(200_000)
                        + "\r\n\r\nab\r\n--"
                        + Multipart.BOUNDARY
                        + "--\r\n";

        HttpResponse<String> response = uploadRaw(email, body);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).get("message").asText())
                .isEqualTo(
                        "the header section of a multipart part is larger than the limit of 8192"
                                + " bytes");
    }

    @Test
    void upload_manyFilePartsOverThePartLimit_is400NamingIt_andStoresNothing() {
        RegisteredEmail email = registerEmail("alice");
        Multipart multipart = new Multipart();
        for (int i = 0; i < 50; i++) {
            multipart.file("file", "copy-" + i + ".txt", "text/plain", bytes(10));
        }

        HttpResponse<String> response = upload(email, multipart);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText())
                .isEqualTo("a multipart body may have at most 10 parts");
        assertThat(store.status(email.trackingId(), Page.NEWEST).orElseThrow().attachments())
                .isEmpty();
    }

    @Test
    void upload_fileAndFieldsUpToThePartLimit_isStored_oneMoreIs400() {
        RegisteredEmail email = registerEmail("alice");
        Multipart atLimit = new Multipart().file("file", "a.txt", "text/plain", bytes(10));
        Multipart overLimit = new Multipart().file("file", "b.txt", "text/plain", bytes(10));
        for (int i = 0; i < 9; i++) {
            atLimit.field("note" + i, "text");
            overLimit.field("note" + i, "text");
        }
        overLimit.field("one-more", "text");

        HttpResponse<String> stored = upload(email, atLimit);
        HttpResponse<String> refused = upload(email, overLimit);

        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(store.status(email.trackingId(), Page.NEWEST).orElseThrow().attachments())
                .singleElement()
                .satisfies(info -> assertThat(info.fileName()).isEqualTo("a.txt"));
    }

    @Test
    void upload_malformedMultipart_is400() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response =
                send(
                        request(
                                        "/reply-attachment/" + email.trackingId(),
                                        "Content-Type",
                                        Multipart.CONTENT_TYPE)
                                .POST(BodyPublishers.ofString("this is not multipart at all"))
                                .build());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("success").asBoolean()).isFalse();
    }

    /** Returns the head of an upload request that declares {@code length} bytes of body. */
    private static String uploadHead(RegisteredEmail email, String contentType, long length) {
        return "POST "
                + TrackingTestServer.MOUNT
                + "/reply-attachment/"
                + email.trackingId()
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: "
                + contentType
                + "\r\nContent-Length: "
                + length
                + "\r\n\r\n";
    }

    private void restartWithTheHighestAttachmentLimit() throws Exception {
        tracker =
                trackerSettings()
                        .publicBaseUrl(PUBLIC_BASE)
                        .maxAttachmentBytes(EmailTracker.MAX_ATTACHMENT_LIMIT)
                        .build();
        restartWith(servletSettings());
    }

    private HttpResponse<String> upload(RegisteredEmail email, Multipart multipart) {
        return uploadBody(email, BodyPublishers.ofByteArray(multipart.build()));
    }

    private HttpResponse<String> uploadRaw(RegisteredEmail email, String body) {
        return uploadBody(email, BodyPublishers.ofString(body));
    }

    /** Posts a multipart body; one published from a stream is sent in chunks, of no length. */
    private HttpResponse<String> uploadBody(RegisteredEmail email, BodyPublisher body) {
        return send(
                request(
                                "/reply-attachment/" + email.trackingId(),
                                "Content-Type",
                                Multipart.CONTENT_TYPE)
                        .POST(body)
                        .build());
    }

    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
