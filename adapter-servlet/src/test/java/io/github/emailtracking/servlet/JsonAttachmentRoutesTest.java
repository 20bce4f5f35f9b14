package io.github.emailtracking.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.core.EmailTracker;
import io.github.emailtracking.core.RegisteredEmail;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Attachments the way Power Automate sends them as JSON, beside multipart. */
class JsonAttachmentRoutesTest extends RouteTestSupport {

    private static final byte[] PDF = "%PDF-1.7 pretend content".getBytes(StandardCharsets.UTF_8);
    private static final String BASE64 = Base64.getEncoder().encodeToString(PDF);

    @Override
    EmailTracker.Builder trackerSettings() {
        return super.trackerSettings().maxAttachmentBytes(1000);
    }

    @Test
    void outlookAttachmentObject_isStored() {
        RegisteredEmail email = registerEmail("alice");
        String body =
                "{\"@odata.type\":\"#microsoft.graph.fileAttachment\",\"Id\":\"AAMk\","
                        + "\"Name\":\"contract.pdf\",\"ContentType\":\"application/pdf\","
                        + "\"Size\":24,\"IsInline\":false,\"ContentBytes\":\""
                        + BASE64
                        + "\"}";

        HttpResponse<String> response = uploadJson(email, body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("fileName").asText()).isEqualTo("contract.pdf");
        assertStoredOnce(email, "contract.pdf");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", ""})
    void attachmentObject_declaredAsAnotherTypeOrNone_isReadAsJson(String declared) {
        RegisteredEmail email = registerEmail("alice");
        String body =
                "{\"name\":\"contract.pdf\",\"contentType\":\"application/pdf\","
                        + "\"contentBytes\":\""
                        + BASE64
                        + "\"}";
        String[] headers =
                declared.isEmpty() ? new String[0] : new String[] {"Content-Type", declared};

        HttpResponse<String> response =
                post("/reply-attachment/" + email.trackingId(), body, headers);

        assertThat(response.statusCode()).isEqualTo(200);
        assertStoredOnce(email, "contract.pdf");
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE"})
    void attachmentObject_inUtf16OrUtf32_isStored_withItsName(String encoding) {
        RegisteredEmail email = registerEmail("alice");
        String body =
                "{\"name\":\"caf\u00e9 \uD83D\uDE00.pdf\",\"contentBytes\":\"" + BASE64 + "\"}";

        HttpResponse<String> response =
                postJson(
                        "/reply-attachment/" + email.trackingId(),
                        body.getBytes(Charset.forName(encoding)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertStoredOnce(email, "caf\u00e9 \uD83D\uDE00.pdf");
    }

    @Test
    void attachmentObject_inUtf16WithALoneSurrogate_is400_andStoresNothing() {
        RegisteredEmail email = registerEmail("alice");
        byte[] body =
                encodedAround(
                        "{\"name\":\"s",
                        new byte[] {0, (byte) 0xD8},
                        ".pdf\",\"contentBytes\":\"" + BASE64 + "\"}",
                        StandardCharsets.UTF_16LE);

        HttpResponse<String> response = postJson("/reply-attachment/" + email.trackingId(), body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText())
                .startsWith("request body is not valid text in the encoding its first bytes show");
        assertThat(store.status(email.trackingId(), Page.NEWEST).orElseThrow().attachments())
                .isEmpty();
    }

    @Test
    void fileContentObject_isStored_withTheDefaultName() {
        RegisteredEmail email = registerEmail("alice");
        String body = "{\"$content-type\":\"application/pdf\",\"$content\":\"" + BASE64 + "\"}";

        HttpResponse<String> response = uploadJson(email, body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("fileName").asText()).isEqualTo("attachment");
    }

    @Test
    void multipartWrapper_isStored_fromThePartNamedFile() {
        RegisteredEmail email = registerEmail("alice");
        String body =
                "{\"$content-type\":\"multipart/form-data\",\"$multipart\":["
                        + "{\"headers\":{\"Content-Disposition\":\"form-data; name=\\\"note\\\"\"},"
                        + "\"body\":\"just text\"},"
                        + "{\"headers\":{\"Content-Disposition\":"
                        + "\"form-data; name=\\\"file\\\"; filename=\\\"Angebot; final.pdf\\\"\"},"
                        + "\"body\":{\"$content-type\":\"application/pdf\",\"$content\":\""
                        + BASE64
                        + "\"}}]}";

        HttpResponse<String> response = uploadJson(email, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertStoredOnce(email, "Angebot; final.pdf");
    }

    @Test
    void sameFileTwice_isARetry_answered200WithTheSameId_andStoredOnce() {
        RegisteredEmail email = registerEmail("alice");
        String body =
                "{\"name\":\"a.pdf\",\"contentType\":\"application/pdf\",\"contentBytes\":\""
                        + BASE64
                        + "\"}";

        JsonNode first = json(uploadJson(email, body));
        JsonNode retry = json(uploadJson(email, body));
        JsonNode multipartRetry =
                json(
                        send(
                                request(
                                                "/reply-attachment/" + email.trackingId(),
                                                "Content-Type",
                                                Multipart.CONTENT_TYPE)
                                        .POST(
                                                java.net.http.HttpRequest.BodyPublishers
                                                        .ofByteArray(
                                                                new Multipart()
                                                                        .file(
                                                                                "file",
                                                                                "a.pdf",
                                                                                "application/pdf",
                                                                                PDF)
                                                                        .build()))
                                        .build()));

        assertThat(retry.get("attachmentId")).isEqualTo(first.get("attachmentId"));
        assertThat(multipartRetry.get("attachmentId")).isEqualTo(first.get("attachmentId"));
        assertStoredOnce(email, "a.pdf");
    }

    @Test
    void multipartWrapper_morePartsThanTheLimit_is400NamingIt_andStoresNothing() {
        RegisteredEmail email = registerEmail("alice");
        String note =
                "{\"headers\":{\"Content-Disposition\":\"form-data; name=\\\"note\\\"\"},"
                        + "\"body\":\"just text\"}";
        String body =
                "{\"$content-type\":\"multipart/form-data\",\"$multipart\":["
                        + "{\"headers\":{\"Content-Disposition\":"
                        + "\"form-data; name=\\\"file\\\"; filename=\\\"a.pdf\\\"\"},"
                        + "\"body\":{\"$content-type\":\"application/pdf\",\"$content\":\""
                        + BASE64
                        + "\"}},"
                        + String.join(",", Collections.nCopies(10, note))
                        + "]}";

        HttpResponse<String> response = uploadJson(email, body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText())
                .isEqualTo("a multipart body may have at most 10 parts");
        assertThat(store.status(email.trackingId(), Page.NEWEST).orElseThrow().attachments())
                .isEmpty();
    }

    @Test
    void uploadsStillArriving_slowly_doNotHoldUpOthers() throws Exception {
        RegisteredEmail email = registerEmail("alice");
        String head = slowUploadStart(email);
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Socket socket = new Socket("127.0.0.1", server.port());
                socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                slow.add(socket);
            }

            HttpResponse<String> response =
                    uploadJson(email, "{\"name\":\"a.pdf\",\"contentBytes\":\"" + BASE64 + "\"}");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void temporaryFiles_ofStoredAndRefusedUploads_areDeleted() throws Exception {
        RegisteredEmail email = registerEmail("alice");
        Set<Path> before = temporaryUploads();

        HttpResponse<String> stored =
                uploadJson(email, "{\"name\":\"a.pdf\",\"contentBytes\":\"" + BASE64 + "\"}");
        HttpResponse<String> badAfterTheFile =
                uploadJson(
                        email,
                        "{\"name\":\"b.pdf\",\"contentBytes\":\"" + BASE64 + "\",\"name\":\"c\"}");
        String twoPartsWithContent =
                "{\"$content-type\":\"multipart/form-data\",\"$multipart\":["
                        + "{\"headers\":{\"Content-Disposition\":\"form-data; name=\\\"x\\\"\"},"
                        + "\"body\":{\"$content\":\"QUJD\"}},"
                        + "{\"headers\":{\"Content-Disposition\":"
                        + "\"form-data; name=\\\"file\\\"; filename=\\\"d.pdf\\\"\"},"
                        + "\"body\":{\"$content\":\""
                        + BASE64
                        + "\"}}]}";
        HttpResponse<String> secondPartFile = uploadJson(email, twoPartsWithContent);

        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(badAfterTheFile.statusCode()).isEqualTo(400);
        assertThat(secondPartFile.statusCode()).as(secondPartFile.body()).isEqualTo(200);
        assertThat(temporaryUploads()).isEqualTo(before);
    }

    @Test
    void temporaryFile_ofAnUploadBeingRead_isPrivateInTheUploadFolder_andDeletedWhenItFails()
            throws Exception {
        RegisteredEmail email = registerEmail("alice");
        Set<Path> before = temporaryUploads();
        String head = slowUploadStart(email);

        Path file;
        try (Socket slow = new Socket("127.0.0.1", server.port())) {
            slow.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            file = awaitNewTemporaryUpload(before);

            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
        }

        awaitDeleted(file);
    }

    @Test
    void upload_afterTheUploadFolderWasDeleted_makesANewOne() throws IOException {
        RegisteredEmail email = registerEmail("alice");
        Path folder = deleteUploadFolder();

        HttpResponse<String> response =
                uploadJson(email, "{\"name\":\"a.pdf\",\"contentBytes\":\"" + BASE64 + "\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(UploadFolder.current()).isDirectory().isNotEqualTo(folder);
    }

    @Test
    void upload_afterTheUploadFolderWasMadeAgainByAnother_makesOneOfItsOwn() throws IOException {
        RegisteredEmail email = registerEmail("alice");
        Path folder = deleteUploadFolder();
        // As another user could, once a cleaner deleted it: a folder of that name all may enter.
        Files.createDirectory(folder);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));

        HttpResponse<String> response =
                uploadJson(email, "{\"name\":\"a.pdf\",\"contentBytes\":\"" + BASE64 + "\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(UploadFolder.current()).isNotEqualTo(folder);
        assertThat(folder).isEmptyDirectory();
        Files.delete(folder);
    }

    @Test
    void decodedFile_deletedBeforeItIsStored_isTheServersFailureNotTheBodys() throws IOException {
        Path gone = Files.createTempFile(UploadFolder.current(), "gone", ".part");
        Files.delete(gone);
        JsonAttachments.JsonFile file =
                new JsonAttachments.JsonFile("a.pdf", "application/pdf", gone);

        assertThatThrownBy(file::open)
                .isInstanceOf(TemporaryFolderException.class)
                .hasMessageContaining("temporary folder")
                .satisfies(
                        failure ->
                                assertThat(Failures.messageOf((Exception) failure))
                                        .isEqualTo(
                                                "The server cannot keep an uploaded file right"
                                                        + " now; try again later"));
    }

    /** Deletes this process's upload folder, as a cleaner of old temporary files would. */
    private static Path deleteUploadFolder() throws IOException {
        Path folder = UploadFolder.current();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(folder);
        return folder;
    }

    /** Returns the start of a JSON upload: the head, promising 900 bytes, and the first 39. */
    private static String slowUploadStart(RegisteredEmail email) {
        return "POST "
                + TrackingTestServer.MOUNT
                + "/reply-attachment/"
                + email.trackingId()
                + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: 900\r\n\r\n"
                + "{\"name\":\"slow.bin\",\"contentBytes\":\"QUJD";
    }

    private static Path awaitNewTemporaryUpload(Set<Path> before) throws Exception {
        for (int attempt = 0; attempt < 500; attempt++) {
            Set<Path> now = temporaryUploads();
            now.removeAll(before);
            if (!now.isEmpty()) {
                return now.iterator().next();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no temporary file appeared in " + UploadFolder.current());
    }

    private static void awaitDeleted(Path file) throws InterruptedException {
        for (int attempt = 0; attempt < 500 && Files.exists(file); attempt++) {
            Thread.sleep(10);
        }
        assertThat(file).doesNotExist();
    }

    private static Set<Path> temporaryUploads() throws IOException {
        try (Stream<Path> files = Files.list(UploadFolder.current())) {
            return files.filter(file -> file.getFileName().toString().endsWith(".part"))
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void multipartWrapperInsideAPart_isNotReadAsThatPartsHeaders() {
        RegisteredEmail email = registerEmail("alice");
        String inner =
                "{\"headers\":{\"Content-Disposition\":"
                        + "\"form-data; name=\\\"file\\\"; filename=\\\"inner.txt\\\"\"},"
                        + "\"body\":{\"$content\":\"QUJD\"}}";
        String body =
                "{\"$content-type\":\"multipart/form-data\",\"$multipart\":["
                        + "{\"headers\":{\"Content-Disposition\":\"form-data; name=\\\"zz\\\"\"},"
                        + "\"body\":{\"$multipart\":["
                        + inner
                        + "],\"headers\":{\"Content-Disposition\":"
                        + "\"form-data; name=\\\"zz\\\"; filename=\\\"evil.txt\\\"\"}}}]}";

        HttpResponse<String> response = uploadJson(email, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(store.status(email.trackingId(), Page.NEWEST).orElseThrow().attachments())
                .isEmpty();
    }

    @Test
    void invalidBase64_is400_andStoresNothing() {
        RegisteredEmail email = registerEmail("alice");

        for (String content : new String[] {"not base64!", "QUI", "QU=J"}) {
            HttpResponse<String> response =
                    uploadJson(email, "{\"name\":\"a.bin\",\"contentBytes\":\"" + content + "\"}");

            assertThat(response.statusCode()).as(content).isEqualTo(400);
            assertThat(json(response).get("message").asText())
                    .as(content)
                    .startsWith("the file content is not standard base64");
        }
        assertThat(store.status(email.trackingId(), Page.NEWEST).orElseThrow().attachments())
                .isEmpty();
    }

    @Test
    void nameThatIsNotText_is400NamingTheField() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response = uploadJson(email, "{\"name\":5,\"contentBytes\":\"aGk=\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText())
                .isEqualTo("field 'name' has the wrong type: expected a string");
        assertThat(store.status(email.trackingId(), Page.NEWEST).orElseThrow().attachments())
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"KKKK\":0,", "{\"n\":NNNN,"})
    void fieldNameOrNumberOverItsLimit_is400NamingTheLimits(String start) {
        RegisteredEmail email = registerEmail("alice");
        String body =
                start.replace("KKKK", "k".repeat(1_001)).replace("NNNN", "1".repeat(65))
                        + "\"name\":\"a.txt\",\"contentBytes\":\"aGk=\"}";

        HttpResponse<String> response = uploadJson(email, body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText())
                .isEqualTo(
                        "the JSON body goes past a limit: at most 32 levels of nesting, text of at"
                                + " most 64 KiB beside the file, numbers of at most 64 digits, and"
                                + " field names of at most 1,000 bytes in UTF-8");
        assertThat(store.status(email.trackingId(), Page.NEWEST).orElseThrow().attachments())
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"name\":\"r\\ud800.txt\",\"contentBytes\":\"aGk=\"} | field 'name' holds"
                        + " half of a surrogate pair; text must be valid Unicode",
                "{\"name\":\"r.txt\",\"contentType\":\"text/\\udc00\",\"contentBytes\":\"aGk=\"} |"
                        + " field 'contentType' holds half of a surrogate pair; text must be valid"
                        + " Unicode",
                "{\"name\":\"t.txt\",\"contentBytes\":\"aGk=\"} garbage | the body is not valid"
                        + " JSON (a body that declares no multipart type is read as JSON)",
                "{\"name\":\"base64.txt\",\"contentBytes\":\"aGk=\",} | the body is not valid"
                        + " JSON (a body that declares no multipart type is read as JSON)",
                "{\"name\":\"t.txt\",\"contentBytes\":\"aGk=\"} {} | the JSON body goes on"
                        + " after its object",
                "{\"$multipart\":[{\"headers\":{\"Content-Disposition\":\"form-data;"
                        + " name=\\\"file\\\"\"},\"body\":{\"$content\":\"aGk=\"}}],\"x\":1} []"
                        + " | the JSON body goes on after its object",
                "{\"name\":\"a.pdf\",\"name\":\"b.pdf\",\"contentBytes\":\"aGk=\"} | the JSON"
                        + " body names a field twice",
                "{\"Name\":\"a.pdf\",\"NAME\":\"b.html\",\"contentBytes\":\"aGk=\"} | the JSON"
                        + " body gives the file's name twice",
                "{\"$content-type\":\"text/plain\",\"$content\":\"aGk=\",\"contentBytes\":\"aGk=\"}"
                        + " | the JSON body gives the file's content twice",
                "{\"$content\":\"aGk=\",\"$multipart\":[{\"headers\":{\"Content-Disposition\":"
                        + "\"form-data; name=\\\"file\\\"\"},\"body\":{\"$content\":\"aGk=\"}}]}"
                        + " | the JSON body gives the file's content twice",
                "{\"$multipart\":[{\"headers\":{\"Content-Disposition\":\"form-data;"
                        + " name=\\\"file\\\"\"},\"body\":{\"$content\":\"aGk=\"}}],"
                        + "\"$content\":\"aGk=\"} | the JSON body gives the file's content twice",
                "{\"$multipart\":[{\"headers\":{\"Content-Disposition\":\"form-data;"
                    + " name=\\\"file\\\"; filename=a.txt\",\"content-disposition\":\"form-data;"
                    + " name=\\\"file\\\"; filename=b.html\"},\"body\":{\"$content\":\"aGk=\"}}]} |"
                    + " a $multipart part gives its Content-Disposition twice",
                "{\"$multipart\":[{\"headers\":{\"Content-Disposition\":\"form-data;"
                    + " name=\\\"file\\\";"
                    + " filename=a.txt\"},\"Headers\":{\"Content-Disposition\":\"form-data;"
                    + " name=\\\"file\\\"; filename=b.html\"},\"body\":{\"$content\":\"aGk=\"}}]} |"
                    + " a $multipart part gives its headers twice",
                "{\"name\":\"b.html\","
                    + " \"$multipart\":[{\"headers\":{\"Content-Disposition\":\"form-data;"
                    + " name=\\\"file\\\"; filename=a.txt\"},\"body\":{\"$content\":\"aGk=\"}}]} |"
                    + " the JSON body gives the file's name twice"
            })
    void textThatIsNotUnicode_orMoreAfterTheObject_orAFieldTwice_is400(String bodyAndMessage) {
        RegisteredEmail email = registerEmail("alice");
        String[] parts = bodyAndMessage.split(" \\| ");

        HttpResponse<String> response = uploadJson(email, parts[0]);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText()).isEqualTo(parts[1]);
        assertThat(store.status(email.trackingId(), Page.NEWEST).orElseThrow().attachments())
                .isEmpty();
    }

    @Test
    void multipartWrapper_withAnEncodedFileName_keepsTheName() {
        RegisteredEmail email = registerEmail("alice");
        String disposition =
                "form-data; name=\\\"file\\\"; filename=\\\"fallback.pdf\\\";"
                        + " filename*=UTF-8''%F0%9F%98%80%20Angebot.pdf";
        String headers = "{\"Content-Disposition\":\"" + disposition + "\"}";
        String content = "{\"$content-type\":\"application/pdf\",\"$content\":\"aGk=\"}";
        String part = "{\"headers\":" + headers + ",\"body\":" + content + "}";
        String body = "{\"$content-type\":\"multipart/form-data\",\"$multipart\":[" + part + "]}";

        HttpResponse<String> response = uploadJson(email, body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("fileName").asText()).isEqualTo("\uD83D\uDE00 Angebot.pdf");
    }

    @Test
    void jsonWithoutContent_is400NoFileUploaded() {
        RegisteredEmail email = registerEmail("alice");

        HttpResponse<String> response = uploadJson(email, "{\"name\":\"a.pdf\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("message").asText()).isEqualTo("No file uploaded");
    }

    @Test
    void fileOverTheLimit_is413() {
        RegisteredEmail email = registerEmail("alice");
        String big = Base64.getEncoder().encodeToString(new byte[1001]);

        HttpResponse<String> response =
                uploadJson(email, "{\"name\":\"a.bin\",\"contentBytes\":\"" + big + "\"}");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).get("message").asText()).contains("1000");
    }

    @Test
    void bodyPastItsLimit_sentWithoutALength_is413NamingTheBodyAndFileLimits() {
        RegisteredEmail email = registerEmail("alice");
        String spaced = BASE64.replaceAll("(.{4})", "$1 ") + " ".repeat(200_000);
        byte[] body =
                ("{\"name\":\"a.bin\",\"contentBytes\":\"" + spaced + "\"}")
                        .getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response =
                post(
                        "/reply-attachment/" + email.trackingId(),
                        BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)),
                        "Content-Type",
                        "application/json");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).get("message").asText())
                .startsWith("the JSON body is longer than the limit of")
                .contains("a file of the limit of 1000 bytes");
    }

    @Test
    void maxBodyBytes_leavesRoomForASpaceBetweenEveryGroupOfTheBase64() {
        long file = 25L << 20;
        long spacedBase64 = (file + 2) / 3 * 4 * 5 / 4;

        assertThat(JsonAttachments.maxBodyBytes(file)).isGreaterThan(spacedBase64);
    }

    @ParameterizedTest
    @CsvSource({
        "UTF-8, -100, true, false, 200",
        "UTF-16LE, -100, true, false, 200",
        "UTF-16LE, -100, false, false, 200",
        "UTF-32BE, -100, true, false, 200",
        "UTF-32BE, -100, false, false, 200",
        "UTF-8, 0, true, true, 200",
        "UTF-8, 0, false, true, 200",
        "UTF-16LE, 0, true, true, 200",
        "UTF-16LE, 0, false, true, 200",
        "UTF-32BE, 0, true, true, 200",
        "UTF-32BE, 0, false, true, 200",
        "UTF-8, 1, true, true, 413",
        "UTF-8, 1, false, true, 413",
        "UTF-16LE, 1, true, true, 413",
        "UTF-16LE, 1, false, true, 413",
        "UTF-8, 100, true, false, 413",
        "UTF-16LE, 100, true, false, 413",
        "UTF-16LE, 100, false, false, 413",
        "UTF-32BE, 100, true, false, 413"
    })
    void bodyNearItsLimitInCharacters_isReadOrRefusedAlike_inEveryEncodingAndFraming(
            String encoding, int pastLimit, boolean declaresLength, boolean withMark, int status) {
        RegisteredEmail email = registerEmail("alice");
        String start = "{\"name\":\"a.pdf\",\"contentBytes\":\"" + BASE64 + "\"";
        long limit = JsonAttachments.maxBodyBytes(1000);
        String padding = " ".repeat((int) (limit + pastLimit - start.length() - 1));
        String text = (withMark ? "\uFEFF" : "") + start + padding + "}";
        byte[] body = text.getBytes(Charset.forName(encoding));
        BodyPublisher publisher =
                declaresLength
                        ? BodyPublishers.ofByteArray(body)
                        : BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));

        HttpResponse<String> response =
                post(
                        "/reply-attachment/" + email.trackingId(),
                        publisher,
                        "Content-Type",
                        "application/json");

        assertThat(response.statusCode()).isEqualTo(status);
        if (status == 413) {
            assertThat(json(response).get("message").asText())
                    .startsWith(
                            "the JSON body is longer than the limit of " + limit + " characters");
        }
    }

    @Test
    void unknownTrackingId_is404() {
        HttpResponse<String> response =
                post(
                        "/reply-attachment/unknown",
                        "{\"name\":\"a\",\"contentBytes\":\"" + BASE64 + "\"}",
                        "Content-Type",
                        "application/json");

        assertThat(response.statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> uploadJson(RegisteredEmail email, String body) {
        return post(
                "/reply-attachment/" + email.trackingId(),
                body,
                "Content-Type",
                "application/json");
    }

    private void assertStoredOnce(RegisteredEmail email, String fileName) {
        assertThat(store.status(email.trackingId(), Page.NEWEST).orElseThrow().attachments())
                .singleElement()
                .satisfies(
                        info -> {
                            assertThat(info.fileName()).isEqualTo(fileName);
                            assertThat(info.fileSize()).isEqualTo(PDF.length);
                        });
    }
}
