package io.github.emailtracking.servlet;

import io.github.emailtracking.api.AttachmentInfo;
import io.github.emailtracking.api.InvalidRequestException;
import io.github.emailtracking.api.NotFoundException;
import io.github.emailtracking.api.PayloadTooLargeException;
import io.github.emailtracking.core.EmailTracker;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.file.InvalidPathException;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadByteCountLimitException;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.FileUploadSizeException;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;

/**
 * Receives reply attachments as {@code multipart/form-data}, streaming the part named {@code file}
 * straight into the store: a file is never held whole in memory or written to a temporary file.
 * Every multipart limit is set, since the library's defaults are unlimited, and parts are counted
 * here because the streaming reader does not count them. The parts after the file are read and
 * counted before the store sees the file's end, so that a body over a limit stores nothing; only
 * the first {@code file} part is stored.
 */
final class Uploads {

    /** Room for multipart framing and small fields beside the file, in bytes. */
    static final long MULTIPART_OVERHEAD = 64 * 1024;

    /** The form field that carries the file. */
    static final String FILE_FIELD = "file";

    /**
     * How much of a multipart body after the part stored is read, so that the connection can serve
     * another request: the closing boundary's line end, or small parts after the file.
     */
    private static final long EPILOGUE_BYTES = 8 * 1024;

    private static final String DISPOSITION = "Content-Disposition";
    private static final String ENCODED_WORD_START = "=?";

    private final EmailTracker tracker;
    private final int maxParts;
    private final int maxPartHeaderBytes;

    private final JsonAttachments jsonAttachments;

    Uploads(EmailTracker tracker, int maxParts, int maxPartHeaderBytes) {
        this.tracker = tracker;
        this.maxParts = maxParts;
        this.maxPartHeaderBytes = maxPartHeaderBytes;
        this.jsonAttachments = new JsonAttachments(tracker.maxAttachmentBytes(), maxParts);
    }

    void receive(Exchange exchange, String trackingId) throws IOException {
        if (isMultipart(exchange.request())) {
            BodyEncoding.requireReadable(exchange.request());
            receiveMultipart(exchange, trackingId);
        } else {
            receiveJson(exchange, trackingId);
        }
    }

    private void receiveJson(Exchange exchange, String trackingId) throws IOException {
        HttpServletRequest request = exchange.request();
        BodyEncoding.requireJson(request);
        if (request.getContentLengthLong() > jsonAttachments.maxDeclaredLength()) {
            throw jsonAttachments.bodyTooLarge();
        }
        if (!tracker.emailExists(trackingId)) {
            throw new NotFoundException("no email has this tracking id");
        }
        AttachmentInfo stored;
        try (JsonAttachments.JsonFile file =
                        jsonAttachments.read(
                                request.getInputStream(), request.getContentLengthLong());
                InputStream content = file.open()) {
            stored = tracker.saveAttachment(trackingId, file.name(), file.contentType(), content);
        }
        exchange.json(HttpServletResponse.SC_OK, Views.upload(stored));
    }

    /**
     * Returns whether the body declares a multipart type. Any other body is read as JSON, whatever
     * it declares, as the JSON routes read theirs: flows do not always say {@code
     * application/json}.
     */
    private static boolean isMultipart(HttpServletRequest request) {
        return BodyEncoding.declaresType(request, "multipart/");
    }

    private void receiveMultipart(Exchange exchange, String trackingId) throws IOException {
        HttpServletRequest request = exchange.request();
        long maxRequestBytes = tracker.maxAttachmentBytes() + MULTIPART_OVERHEAD;
        if (request.getContentLengthLong() > maxRequestBytes) {
            throw requestTooLarge();
        }
        if (!JakartaServletFileUpload.isMultipartContent(request)) {
            throw noFile();
        }
        String boundary = HeaderParameters.parameter(BodyEncoding.contentType(request), "boundary");
        if (boundary == null || boundary.isEmpty()) {
            throw new InvalidRequestException(
                    "a multipart body's Content-Type must name a boundary");
        }
        if (!tracker.emailExists(trackingId)) {
            // Known from the path alone: the body need not come.
            throw new NotFoundException("no email has this tracking id");
        }

        AttachmentInfo stored;
        try {
            stored = storeFilePart(newUpload(maxRequestBytes).getItemIterator(request), trackingId);
        } catch (TooManyPartsException e) {
            throw tooManyParts(maxParts);
        } catch (FileUploadSizeException e) {
            if (e instanceof FileUploadByteCountLimitException) {
                // Only the file's part is read; the others are skipped, within the body's limit.
                throw tooLarge();
            }
            if (!isPartHeaderLimit(e)) {
                throw requestTooLarge();
            }
            // A body within the size allowed is read to its end, so that a client still sending
            // it gets the answer, not a connection reset under its feet.
            UnreadBodies.readTheRest(request.getInputStream(), maxRequestBytes);
            throw partHeadersTooLarge();
        } catch (FileUploadException | IllegalStateException e) {
            // The reader throws the latter for part headers that never end.
            throw new InvalidRequestException("the multipart body is malformed");
        }
        UnreadBodies.readTheRest(request.getInputStream(), EPILOGUE_BYTES);
        exchange.json(HttpServletResponse.SC_OK, Views.upload(stored));
    }

    private AttachmentInfo storeFilePart(FileItemInputIterator parts, String trackingId)
            throws IOException {
        PartCounter counter = new PartCounter(parts, maxParts);
        while (parts.hasNext()) {
            FileItemInput part = counter.next();
            if (FILE_FIELD.equals(part.getFieldName())) {
                return storeFile(part, counter, trackingId);
            }
        }
        throw noFile();
    }

    private AttachmentInfo storeFile(FileItemInput part, PartCounter counter, String trackingId)
            throws IOException {
        String fileName = fileName(part);
        InputStream checked = new CheckedToTheEnd(part.getInputStream(), counter);
        try (PushbackInputStream content = new PushbackInputStream(checked)) {
            int first = content.read();
            if (first < 0 && (fileName == null || fileName.isEmpty())) {
                // What a browser form sends when no file was chosen.
                throw noFile();
            }
            if (first >= 0) {
                content.unread(first);
            }
            return tracker.saveAttachment(trackingId, fileName, part.getContentType(), content);
        }
    }

    /**
     * Returns the file name the part declares, as sent. The multipart reader decodes what looks
     * like an RFC 2047 encoded word in it, losing the rest of the name, so such a name is read from
     * the header as written. The reader refuses a name with a NUL in it, as a file system would;
     * the name is only displayed here, and the tracker cleans it of such characters, so it is taken
     * from the refusal.
     */
    private static String fileName(FileItemInput part) {
        String disposition =
                part.getHeaders() == null ? null : part.getHeaders().getHeader(DISPOSITION);
        if (disposition != null && disposition.contains(ENCODED_WORD_START)) {
            String written = ContentDisposition.fileNameAsWritten(disposition);
            if (written != null) {
                return written;
            }
        }
        try {
            return part.getName();
        } catch (InvalidPathException e) {
            return e.getInput();
        }
    }

    private JakartaServletFileUpload<DiskFileItem, DiskFileItemFactory> newUpload(
            long maxRequestBytes) {
        JakartaServletFileUpload<DiskFileItem, DiskFileItemFactory> upload =
                new JakartaServletFileUpload<>();
        upload.setMaxSize(maxRequestBytes);
        upload.setMaxFileSize(tracker.maxAttachmentBytes() + 1);
        upload.setMaxFileCount(maxParts);
        upload.setMaxPartHeaderSize(maxPartHeaderBytes);
        return upload;
    }

    /**
     * Returns whether the reader refused a part's header section rather than the body's size. It
     * tells the two apart only by the limit it names, which is the one set for part headers.
     */
    private boolean isPartHeaderLimit(FileUploadSizeException e) {
        return !(e instanceof FileUploadByteCountLimitException)
                && e.getPermitted() == maxPartHeaderBytes;
    }

    private PayloadTooLargeException partHeadersTooLarge() {
        return new PayloadTooLargeException(
                "the header section of a multipart part", maxPartHeaderBytes);
    }

    static InvalidRequestException tooManyParts(int maxParts) {
        return new InvalidRequestException(
                "a multipart body may have at most " + maxParts + " parts");
    }

    private PayloadTooLargeException requestTooLarge() {
        return new PayloadTooLargeException(
                "the request body is larger than the file's limit of "
                        + tracker.maxAttachmentBytes()
                        + " bytes allows, with "
                        + MULTIPART_OVERHEAD
                        + " bytes for the rest of the multipart body");
    }

    private PayloadTooLargeException tooLarge() {
        return new PayloadTooLargeException("file", tracker.maxAttachmentBytes());
    }

    private static InvalidRequestException noFile() {
        return new InvalidRequestException("No file uploaded");
    }

    /** Hands out the parts of a body, failing at the first one over the limit. */
    private static final class PartCounter {

        private final FileItemInputIterator parts;
        private final int maxParts;
        private int count;

        PartCounter(FileItemInputIterator parts, int maxParts) {
            this.parts = parts;
            this.maxParts = maxParts;
        }

        FileItemInput next() throws IOException {
            FileItemInput part = parts.next();
            if (++count > maxParts) {
                throw new TooManyPartsException();
            }
            return part;
        }

        /** Reads and counts the parts that are left, skipping their content. */
        void countTheRest() throws IOException {
            while (parts.hasNext()) {
                next();
            }
        }
    }

    /**
     * A file's content that, before it reports its end, reads the rest of the body: a limit broken
     * there then fails the read, and the store keeps nothing.
     */
    private static final class CheckedToTheEnd extends FilterInputStream {

        private final PartCounter counter;
        private boolean restChecked;

        CheckedToTheEnd(InputStream content, PartCounter counter) {
            super(content);
            this.counter = counter;
        }

        // Once the rest of the body is counted, the part's own stream is closed: every later read
        // answers the end again without touching it, as a stream that has ended does.
        @Override
        public int read() throws IOException {
            if (restChecked) {
                return -1;
            }
            int b = super.read();
            return b < 0 ? atEnd() : b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (restChecked) {
                return -1;
            }
            int read = super.read(buffer, offset, length);
            return read < 0 ? atEnd() : read;
        }

        @Override
        public int available() throws IOException {
            return restChecked ? 0 : super.available();
        }

        private int atEnd() throws IOException {
            if (!restChecked) {
                restChecked = true;
                counter.countTheRest();
            }
            return -1;
        }
    }

    /** A body with more parts than allowed; an {@link IOException} so that it can end a read. */
    private static final class TooManyPartsException extends IOException {

        private static final long serialVersionUID = 1L;
    }
}
