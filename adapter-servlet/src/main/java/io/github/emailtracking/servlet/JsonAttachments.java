package io.github.emailtracking.servlet;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import io.github.emailtracking.api.InvalidRequestException;
import io.github.emailtracking.api.PayloadTooLargeException;
import io.github.emailtracking.api.StoreException;
import java.io.BufferedOutputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ObjIntConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a reply attachment sent as JSON, the two ways Power Automate sends files:
 *
 * <ul>
 *   <li>the Outlook connector's attachment object: {@code name}, {@code contentType} and base64
 *       {@code contentBytes} (any letter case, other fields ignored);
 *   <li>a file content object ({@code $content-type}, {@code $content}) or its multipart wrapper
 *       ({@code $content-type: multipart/form-data} with {@code $multipart} parts, each with {@code
 *       headers} and a {@code body}); the part whose {@code Content-Disposition} names the field
 *       {@code file}, or carries a file name, is the file; the first such part is taken, and the
 *       parts are counted against the same limit as those of a multipart upload.
 * </ul>
 *
 * <p>The base64 is decoded as it is parsed, strictly (the standard alphabet with padding) but for
 * white space between groups, and never held as text. The file may come before its name and type,
 * so it is decoded into a temporary file, readable by this process's user only, which the caller
 * deletes by closing the {@link JsonFile} once the file is stored. The file is kept in the {@link
 * UploadFolder}, which the next process deletes if this one is killed before it can.
 */
final class JsonAttachments {

    /** A file read from a JSON body, its content in a temporary file that closing deletes. */
    record JsonFile(String name, String contentType, Path content) implements AutoCloseable {

        /**
         * Opens the content for reading.
         *
         * @throws StoreException if the temporary file is gone (deleted by a cleaner of old
         *     temporary files): the server's failure, not the body's
         */
        InputStream open() {
            try {
                return Files.newInputStream(content, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw temporaryFolderFailed(e);
            }
        }

        @Override
        public void close() {
            deleteQuietly(content);
        }
    }

    private static final Base64Variant STRICT =
            Base64Variants.MIME_NO_LINEFEEDS.withReadPadding(
                    Base64Variant.PaddingReadBehaviour.PADDING_REQUIRED);
    private static final String TEMPORARY_PREFIX = "email-tracking-upload-";

    /** Longest text of a JSON attachment body beside the file's content, in bytes. */
    private static final int MAX_TEXT_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(JsonAttachments.class);

    private final JsonFactory factory;
    private final long maxFileBytes;
    private final int maxParts;

    JsonAttachments(long maxFileBytes, int maxParts) {
        this.maxFileBytes = maxFileBytes;
        this.maxParts = maxParts;
        StreamReadConstraints constraints =
                StreamReadConstraints.builder()
                        .maxDocumentLength(maxBodyBytes(this.maxFileBytes))
                        .maxNestingDepth(JsonBodies.MAX_NESTING_DEPTH)
                        .maxStringLength(MAX_TEXT_BYTES)
                        .maxNameLength(JsonBodies.MAX_NAME_LENGTH)
                        .maxNumberLength(JsonBodies.MAX_NUMBER_LENGTH)
                        .build();
        this.factory =
                JsonFactory.builder()
                        .streamReadConstraints(constraints)
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        .build();
    }

    /**
     * Returns the largest JSON body read for a file of {@code maxFileBytes}: its base64, with room
     * for white space between the groups of up to a quarter of it (a line break every 76
     * characters, written {@code \r\n} in JSON, takes a twentieth), and for the other fields.
     */
    static long maxBodyBytes(long maxFileBytes) {
        long base64 = (maxFileBytes + 2) / 3 * 4;
        return base64 + base64 / 4 + Uploads.MULTIPART_OVERHEAD;
    }

    /** Returns the largest JSON body read, for the largest file read from one. */
    long maxBodyBytes() {
        return maxBodyBytes(maxFileBytes);
    }

    /** Returns the failure for a file over the attachment limit. */
    PayloadTooLargeException tooLarge() {
        return new PayloadTooLargeException("file", maxFileBytes);
    }

    /**
     * Returns the longest body that a declared length may announce before the body is read: one
     * within the limit in the encoding that takes the most bytes, after its byte order mark.
     */
    long maxDeclaredLength() {
        return maxBodyBytes() * JsonText.MAX_BYTES_PER_ASCII_CHARACTER
                + JsonText.MAX_BYTE_ORDER_MARK_LENGTH;
    }

    /** Returns the failure for a body longer than any file within the limit needs. */
    PayloadTooLargeException bodyTooLarge() {
        return new PayloadTooLargeException(
                "the JSON body is longer than the limit of "
                        + maxBodyBytes()
                        + " characters (bytes in UTF-8, twice as many in UTF-16 and four times in"
                        + " UTF-32), room enough for a file of the limit of "
                        + maxFileBytes
                        + " bytes in base64 with white space");
    }

    /**
     * Reads the file from {@code body}. The limit on the body is in characters, so that a file
     * within the limit is read in any encoding: a declared length, -1 when none, is weighed by the
     * bytes the body's encoding takes for each.
     *
     * @throws InvalidRequestException if the JSON has no file or its base64 is not valid
     * @throws PayloadTooLargeException if the file or the body is over its limit
     * @throws StoreException if the temporary file cannot be written
     */
    JsonFile read(InputStream body, long declaredLength) throws IOException {
        ObjIntConsumer<Charset> withinLimit =
                (encoding, byteOrderMark) -> {
                    if (declaredLength - byteOrderMark
                            > maxBodyBytes() * JsonText.bytesPerAsciiCharacter(encoding)) {
                        throw bodyTooLarge();
                    }
                };
        try (JsonParser parser = JsonText.parser(factory, body, withinLimit);
                Spool spool = new Spool()) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw noFile();
            }
            JsonFile file = fileObject(parser, spool);
            requireNothingAfter(parser);
            spool.keep(file.content());
            return file;
        } catch (StreamConstraintsException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Document length")) {
                throw bodyTooLarge();
            }
            throw new InvalidRequestException(
                    "the JSON body goes past a limit: at most "
                            + JsonBodies.MAX_NESTING_DEPTH
                            + " levels of nesting, text of at most "
                            + MAX_TEXT_BYTES / 1024
                            + " KiB beside the file, numbers of at most "
                            + JsonBodies.MAX_NUMBER_LENGTH
                            + " digits, and field names of at most "
                            + String.format(Locale.ROOT, "%,d", JsonBodies.MAX_NAME_LENGTH)
                            + " bytes in UTF-8");
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidRequestException(unreadable(e));
        } catch (CharacterCodingException | CharConversionException e) {
            throw new InvalidRequestException(JsonText.notValidText());
        }
    }

    /** Says why Jackson could not read the body. */
    private static String unreadable(Exception e) {
        if (JsonBodies.namesAFieldTwice(e)) {
            return "the JSON body names a field twice";
        }
        if (isBadBase64(e)) {
            return "the file content is not standard base64: its alphabet, padded with '=' to a"
                    + " multiple of four characters";
        }
        return "the body is not valid JSON (a body that declares no multipart type is read as"
                + " JSON)";
    }

    /**
     * Returns whether Jackson refused the base64 of the file content: it says so in its own words,
     * as a parse failure or as an {@link IllegalArgumentException}, which quote nothing of the
     * body.
     */
    private static boolean isBadBase64(Exception e) {
        String reason =
                e instanceof StreamReadException refused
                        ? refused.getOriginalMessage()
                        : e instanceof IllegalArgumentException ? e.getMessage() : null;
        return reason != null && reason.toLowerCase(Locale.ROOT).contains("base64");
    }

    /** Reads an attachment object or a file content object; the parser is on its start. */
    private JsonFile fileObject(JsonParser parser, Spool spool) throws IOException {
        String name = null;
        String type = null;
        Path content = null;
        Set<String> given = new HashSet<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName().toLowerCase(Locale.ROOT);
            requireOnce(given, field);
            JsonToken value = parser.nextToken();
            switch (field) {
                case "name" -> name = text(parser, value);
                case "contenttype", "$content-type" -> type = text(parser, value);
                case "contentbytes", "$content" -> content = binary(parser, value, spool);
                case "$multipart" -> {
                    JsonFile file = multipart(parser, value, spool);
                    skipTheRestOfTheObject(parser, given);
                    return file;
                }
                default -> parser.skipChildren();
            }
        }
        if (content == null) {
            throw noFile();
        }
        return new JsonFile(name, type, content);
    }

    /**
     * Refuses a file's name, type or content given twice, in any letter case or spelling: which one
     * counts would be a guess.
     */
    private static void requireOnce(Set<String> given, String field) {
        List<String> meanings =
                switch (field) {
                    case "name" -> List.of("name");
                    case "contenttype", "$content-type" -> List.of("type");
                    case "contentbytes", "$content" -> List.of("content");
                    // Its part gives the file's name and content in place of these; a type
                    // beside it, as Power Automate writes one, is the type of the parts' body.
                    case "$multipart" -> List.of("name", "content");
                    default -> List.of();
                };
        for (String meaning : meanings) {
            if (!given.add(meaning)) {
                throw new InvalidRequestException(
                        "the JSON body gives the file's " + meaning + " twice");
            }
        }
    }

    private JsonFile multipart(JsonParser parser, JsonToken start, Spool spool) throws IOException {
        if (start != JsonToken.START_ARRAY) {
            throw new InvalidRequestException("$multipart must be a list of parts");
        }
        JsonFile file = null;
        int count = 0;
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            if (++count > maxParts) {
                throw Uploads.tooManyParts(maxParts);
            }
            if (file == null) {
                file = part(parser, spool);
            } else {
                parser.skipChildren();
            }
        }
        if (file == null) {
            throw noFile();
        }
        return file;
    }

    /** Reads one {@code $multipart} part; returns it when it is the file, else null. */
    private JsonFile part(JsonParser parser, Spool spool) throws IOException {
        String disposition = null;
        JsonFile body = null;
        Set<String> given = new HashSet<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName().toLowerCase(Locale.ROOT);
            if ((field.equals("headers") || field.equals("body")) && !given.add(field)) {
                throw new InvalidRequestException(
                        "a $multipart part gives its " + field + " twice");
            }
            JsonToken value = parser.nextToken();
            if (field.equals("headers") && value == JsonToken.START_OBJECT) {
                disposition = contentDisposition(parser);
            } else if (field.equals("body") && value == JsonToken.START_OBJECT) {
                body = fileObject(parser, spool);
            } else {
                parser.skipChildren();
            }
        }
        String fileName = HeaderParameters.fileName(disposition);
        boolean isFile =
                "file".equals(HeaderParameters.parameter(disposition, "name")) || fileName != null;
        return isFile && body != null
                ? new JsonFile(
                        fileName != null ? fileName : body.name(),
                        body.contentType(),
                        body.content())
                : null;
    }

    private static String contentDisposition(JsonParser parser) throws IOException {
        String disposition = null;
        boolean given = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String header = parser.currentName();
            JsonToken value = parser.nextToken();
            if (header.equalsIgnoreCase("Content-Disposition")) {
                if (given) {
                    throw new InvalidRequestException(
                            "a $multipart part gives its Content-Disposition twice");
                }
                given = true;
                disposition = text(parser, value);
            } else {
                parser.skipChildren();
            }
        }
        return disposition;
    }

    private Path binary(JsonParser parser, JsonToken value, Spool spool) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw new InvalidRequestException("the file content must be a base64 string");
        }
        Path file = spool.newFile();
        try (BoundedFile out = new BoundedFile(file, maxFileBytes, this::tooLarge)) {
            parser.readBinaryValue(STRICT, out);
        }
        return file;
    }

    /**
     * Reads past the fields left in the object the parser is in, so that they are not taken for
     * those of the object around it, refusing one that gives the file's content again.
     */
    private static void skipTheRestOfTheObject(JsonParser parser, Set<String> given)
            throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            requireOnce(given, parser.currentName().toLowerCase(Locale.ROOT));
            parser.nextToken();
            parser.skipChildren();
        }
    }

    /**
     * Reads what is left of the body's object, which a {@code $multipart} wrapper leaves unread,
     * and refuses anything after it.
     */
    private static void requireNothingAfter(JsonParser parser) throws IOException {
        while (!parser.getParsingContext().inRoot() && parser.nextToken() != null) {
            parser.skipChildren();
        }
        if (parser.nextToken() != null) {
            throw new InvalidRequestException("the JSON body goes on after its object");
        }
    }

    /** Reads a text field; null stands for absent, and any other kind of value is refused. */
    private static String text(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING) {
            throw new InvalidRequestException(
                    "field '" + parser.currentName() + "' has the wrong type: expected a string");
        }
        String text = parser.getText();
        Unicode.requireWhole(text, "field '" + parser.currentName() + "'");
        return text;
    }

    private static InvalidRequestException noFile() {
        return new InvalidRequestException("No file uploaded");
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete the temporary file {}: {}", file, e.toString());
        }
    }

    private static StoreException temporaryFolderFailed(IOException cause) {
        return new TemporaryFolderException(cause);
    }

    /** The temporary files of one body; closing deletes them all but the one kept. */
    private static final class Spool implements AutoCloseable {

        private final List<Path> files = new ArrayList<>();
        private Path kept;

        Path newFile() {
            try {
                Path file = Files.createTempFile(UploadFolder.current(), TEMPORARY_PREFIX, ".part");
                files.add(file);
                return file;
            } catch (IOException e) {
                throw temporaryFolderFailed(e);
            }
        }

        void keep(Path file) {
            kept = file;
        }

        @Override
        public void close() {
            for (Path file : files) {
                if (!file.equals(kept)) {
                    deleteQuietly(file);
                }
            }
        }
    }

    /**
     * Writes decoded bytes to a temporary file, failing as soon as there are more than the limit; a
     * failure of the file is the server's, told apart from the body's.
     */
    private static final class BoundedFile extends OutputStream {

        private final OutputStream out;
        private final long limit;
        private final Supplier<PayloadTooLargeException> tooLarge;
        private long written;

        BoundedFile(Path file, long limit, Supplier<PayloadTooLargeException> tooLarge) {
            try {
                this.out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
            } catch (IOException e) {
                throw temporaryFolderFailed(e);
            }
            this.limit = limit;
            this.tooLarge = tooLarge;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            if (written + length > limit) {
                throw tooLarge.get();
            }
            try {
                out.write(bytes, offset, length);
            } catch (IOException e) {
                throw temporaryFolderFailed(e);
            }
            written += length;
        }

        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException e) {
                throw temporaryFolderFailed(e);
            }
        }
    }
}
