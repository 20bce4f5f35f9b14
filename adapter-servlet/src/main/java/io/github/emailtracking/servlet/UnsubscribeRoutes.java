package io.github.emailtracking.servlet;

import io.github.emailtracking.api.InvalidRequestException;
import io.github.emailtracking.api.NotFoundException;
import io.github.emailtracking.api.PayloadTooLargeException;
import io.github.emailtracking.core.EmailTracker;
import io.github.emailtracking.core.RegisteredEmail;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.RequestContext;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;

/**
 * One-click unsubscribe (RFC 8058). Only a POST ever unsubscribes: link scanners follow every link
 * of a mail with GET, so a GET shows a page with a button that posts, and a HEAD changes nothing.
 * The pages show nothing but fixed text, so no stored string can reach them.
 */
final class UnsubscribeRoutes {

    /** Largest body read from an unsubscribe POST; the real one is 26 bytes. */
    static final int MAX_BODY_BYTES = 8 * 1024;

    private static final int MAX_PARTS = 5;

    private static final String CONFIRM_PAGE =
            page(
                    "Unsubscribe",
                    "<p>Do you want to stop receiving these emails?</p><form method=\"post\"><input"
                        + " type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\"><button"
                        + " type=\"submit\">Unsubscribe</button></form>");
    private static final String DONE_PAGE =
            page(
                    "Unsubscribed",
                    "<p>You are unsubscribed. You will not receive these emails again.</p>");
    private static final String MISSING_PAGE =
            page("Link not valid", "<p>This unsubscribe link is not valid.</p>");

    private final EmailTracker tracker;

    UnsubscribeRoutes(EmailTracker tracker) {
        this.tracker = tracker;
    }

    /** {@code GET /unsubscribe/{trackingId}}: the confirmation page; records nothing. */
    void confirmationPage(Exchange exchange) throws IOException {
        boolean known = isKnown(exchange);
        html(
                exchange,
                known ? HttpServletResponse.SC_OK : HttpServletResponse.SC_NOT_FOUND,
                known ? CONFIRM_PAGE : MISSING_PAGE,
                true);
    }

    /** {@code HEAD /unsubscribe/{trackingId}}: the page's headers; changes nothing. */
    void confirmationHead(Exchange exchange) throws IOException {
        boolean known = isKnown(exchange);
        html(
                exchange,
                known ? HttpServletResponse.SC_OK : HttpServletResponse.SC_NOT_FOUND,
                known ? CONFIRM_PAGE : MISSING_PAGE,
                false);
    }

    /**
     * {@code POST /unsubscribe/{trackingId}} with the body {@code List-Unsubscribe=One-Click}, as a
     * mail provider's one-click request or the confirmation page's button sends it.
     */
    void unsubscribe(Exchange exchange) throws IOException {
        if (!isKnown(exchange)) {
            // Whatever the body holds: the path names no email.
            notFound(exchange, new NotFoundException("no email has this tracking id"));
            return;
        }
        if (!isOneClickRequest(exchange.request())) {
            throw new InvalidRequestException(
                    "an unsubscribe request must carry " + RegisteredEmail.LIST_UNSUBSCRIBE_POST);
        }
        try {
            tracker.recordUnsubscribe(exchange.segment(1));
        } catch (NotFoundException e) {
            notFound(exchange, e);
            return;
        }
        if (wantsHtml(exchange)) {
            html(exchange, HttpServletResponse.SC_OK, DONE_PAGE, true);
        } else {
            exchange.json(HttpServletResponse.SC_OK, Views.message("Unsubscribed"));
        }
    }

    /**
     * Returns whether the path names an email; one with more after the id, such as a slash a mail
     * client added, names none, and is answered with the page that says so.
     */
    private boolean isKnown(Exchange exchange) {
        return exchange.segmentCount() == 2 && tracker.emailExists(exchange.segment(1));
    }

    /** Answers a missing email with the page a browser expects, or the usual JSON. */
    private static void notFound(Exchange exchange, NotFoundException e) throws IOException {
        if (wantsHtml(exchange)) {
            html(exchange, HttpServletResponse.SC_NOT_FOUND, MISSING_PAGE, true);
        } else {
            throw e;
        }
    }

    /**
     * Returns whether the request carries the form field {@code List-Unsubscribe=One-Click},
     * encoded as {@code multipart/form-data} or {@code application/x-www-form-urlencoded} (RFC 8058
     * allows both).
     */
    private static boolean isOneClickRequest(HttpServletRequest request) throws IOException {
        BodyEncoding.requireReadable(request);
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            throw bodyTooLarge();
        }
        // The whole body is read first, so that one over the limit is refused wherever the field
        // is, and the connection can serve another request.
        byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            throw bodyTooLarge();
        }
        UnreadBodies.requireUnreadBefore(request, body.length);
        if (JakartaServletFileUpload.isMultipartContent(request)) {
            return hasOneClickPart(BodyEncoding.contentType(request), body);
        }
        for (String pair : new String(body, StandardCharsets.US_ASCII).split("&")) {
            String[] field = pair.split("=", 2);
            if (field.length == 2 && isOneClickField(decode(field[0]), decode(field[1]))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasOneClickPart(String contentType, byte[] body) throws IOException {
        JakartaServletFileUpload<DiskFileItem, DiskFileItemFactory> upload =
                new JakartaServletFileUpload<>();
        upload.setMaxPartHeaderSize(1024);
        try {
            FileItemInputIterator parts = upload.getItemIterator(new ReadBody(contentType, body));
            for (int count = 0; count < MAX_PARTS && parts.hasNext(); count++) {
                FileItemInput part = parts.next();
                // The whole body is in memory, at most 8 KiB, so a part is read whole.
                String value =
                        new String(part.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                if (isOneClickField(nameAsWritten(part), value)) {
                    return true;
                }
            }
            return false;
        } catch (FileUploadException | IllegalStateException e) {
            // The reader throws the latter for part headers that never end.
            return false;
        }
    }

    /**
     * Returns a part's name as its {@code Content-Disposition} writes it: the multipart reader
     * trims the name it gives, which would let {@code " List-Unsubscribe"} pass.
     */
    private static String nameAsWritten(FileItemInput part) {
        String disposition = part.getHeaders().getHeader("Content-Disposition");
        return disposition == null ? null : HeaderParameters.parameter(disposition, "name");
    }

    /** A multipart body already read, for the multipart reader. */
    private record ReadBody(String contentType, byte[] body) implements RequestContext {

        @Override
        public String getContentType() {
            return contentType;
        }

        @Override
        public String getCharacterEncoding() {
            return null;
        }

        @Override
        public long getContentLength() {
            return body.length;
        }

        @Override
        public InputStream getInputStream() {
            return new ByteArrayInputStream(body);
        }

        @Override
        public boolean isMultipartRelated() {
            return false;
        }
    }

    /** The one-click body is a single short field; a longer one is no mail provider's. */
    private static PayloadTooLargeException bodyTooLarge() {
        return new PayloadTooLargeException("an unsubscribe request's body", MAX_BODY_BYTES);
    }

    /**
     * Returns whether a form field is RFC 8058's {@code List-Unsubscribe=One-Click}, its value
     * allowed spaces, tabs and line ends around it, and nothing else.
     */
    private static boolean isOneClickField(String name, String value) {
        return "List-Unsubscribe".equals(name) && "One-Click".equals(trimBlanks(value));
    }

    /** Returns the text without spaces, tabs, CR and LF at either end. */
    private static String trimBlanks(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && " \t\r\n".indexOf(text.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && " \t\r\n".indexOf(text.charAt(end - 1)) >= 0) {
            end--;
        }
        return text.substring(start, end);
    }

    private static String decode(String formField) {
        try {
            return URLDecoder.decode(formField, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static boolean wantsHtml(Exchange exchange) {
        String accept = exchange.request().getHeader("Accept");
        return accept != null && accept.contains("text/html");
    }

    private static void html(Exchange exchange, int status, String page, boolean withBody)
            throws IOException {
        byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
        HttpServletResponse response = exchange.response();
        response.setStatus(status);
        response.setContentType("text/html;charset=utf-8");
        response.setContentLength(bytes.length);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader(
                "Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self';"
                        + " frame-ancestors 'none'");
        response.setHeader("Referrer-Policy", "no-referrer");
        UnreadBodies.closeIfUnread(exchange.request(), response);
        if (withBody) {
            response.getOutputStream().write(bytes);
        }
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>"
                + title
                + "</title>"
                + "<style>body{font-family:sans-serif;max-width:32rem;margin:4rem auto;"
                + "padding:0 1rem;line-height:1.5}button{font-size:1rem;padding:.5rem 1rem}</style>"
                + "</head><body><h1>"
                + title
                + "</h1>"
                + body
                + "</body></html>";
    }
}
