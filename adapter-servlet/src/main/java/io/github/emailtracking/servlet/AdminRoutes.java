package io.github.emailtracking.servlet;

import io.github.emailtracking.api.AttachmentInfo;
import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.InvalidRequestException;
import io.github.emailtracking.api.NotFoundException;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.Viewer;
import io.github.emailtracking.core.EmailTracker;
import io.github.emailtracking.core.NewEmail;
import io.github.emailtracking.servlet.JsonBodies.CampaignBody;
import io.github.emailtracking.servlet.JsonBodies.EmailBody;
import io.github.emailtracking.servlet.JsonBodies.EraseBody;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The routes behind a bearer token: reports, attachment downloads, and the sender API that
 * registers campaigns and emails. A viewer sees only what its subject owns, unless it is an admin;
 * anything else is answered like a missing thing.
 */
final class AdminRoutes {

    /** A time zone written as an offset, alone or after the prefix that names what from. */
    private static final Pattern WRITTEN_AS_AN_OFFSET = Pattern.compile("(UTC|GMT|UT)?[+-].*");

    /**
     * A date, a time with its seconds and a fraction of up to nine digits, then an offset; a year
     * past 9999, written with its sign as ISO 8601 has it, is let through to be refused, later, as
     * out of range.
     */
    private static final Pattern RFC_3339_TIME =
            Pattern.compile(
                    "(\\d{4}|[+-][1-9]\\d{4,8})-\\d{2}-\\d{2}"
                            + "[Tt]([01]\\d|2[0-3]):[0-5]\\d:([0-5]\\d|60)(\\.\\d{1,9})?"
                            + "([Zz]|[+-]\\d{2}:\\d{2})");

    // Digits only, and not so many that reading them costs anything: a longer number is out of
    // every range anyway.
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]{1,30}");

    /**
     * Types a browser only shows, plays or saves, served as declared; any other type, one it could
     * run, render as a page or follow as a playlist included, is served as plain bytes.
     */
    private static final Set<String> PASSIVE_TYPES =
            Set.of(
                    "application/pdf",
                    "application/zip",
                    "application/gzip",
                    "application/rtf",
                    "application/msword",
                    "application/vnd.ms-excel",
                    "application/vnd.ms-powerpoint",
                    "application/json",
                    "text/plain",
                    "text/csv",
                    "text/calendar",
                    "image/png",
                    "image/jpeg",
                    "image/gif",
                    "image/webp",
                    "image/bmp",
                    "image/tiff",
                    "image/heic",
                    "image/heif",
                    "image/avif",
                    "audio/mpeg",
                    "audio/mp4",
                    "audio/ogg",
                    "audio/wav",
                    "audio/webm",
                    "audio/aac",
                    "audio/flac",
                    "video/mp4",
                    "video/mpeg",
                    "video/ogg",
                    "video/webm",
                    "video/quicktime");

    /** Families of office documents, whose many types name the program that opens them. */
    private static final List<String> PASSIVE_FAMILIES =
            List.of(
                    "application/vnd.openxmlformats-officedocument.",
                    "application/vnd.oasis.opendocument.");

    private final EmailTracker tracker;
    private final JwtAuthenticator authenticator;

    AdminRoutes(EmailTracker tracker, JwtAuthenticator authenticator) {
        this.tracker = tracker;
        this.authenticator = authenticator;
    }

    /** {@code GET /status/{trackingId}?limit=&offset=}: one email's counters and events. */
    void status(Exchange exchange) throws IOException {
        Viewer viewer = viewer(exchange);
        Page page = page(exchange);
        var status =
                tracker.status(viewer, exchange.segment(1), page)
                        .orElseThrow(() -> new NotFoundException("no email has this tracking id"));
        exchange.json(HttpServletResponse.SC_OK, Views.status(status));
    }

    /** {@code GET /campaign/{campaignId}?tz=}: the campaign report. */
    void campaignReport(Exchange exchange) throws IOException {
        Viewer viewer = viewer(exchange);
        ZoneId zone = zone(exchange.query("tz"));
        var report =
                tracker.campaignReport(viewer, exchange.segment(1), zone)
                        .orElseThrow(() -> new NotFoundException("no campaign has this id"));
        exchange.json(HttpServletResponse.SC_OK, Views.report(report));
    }

    /** {@code GET /reply-attachment/{attachmentId}}: the stored bytes, as a download. */
    void downloadAttachment(Exchange exchange) throws IOException {
        Viewer viewer = viewer(exchange);
        AttachmentInfo info =
                tracker.findAttachment(viewer, exchange.segment(1))
                        .orElseThrow(() -> new NotFoundException("no attachment has this id"));

        HttpServletResponse response = exchange.response();
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(servedType(info.contentType()));
        response.setContentLengthLong(info.fileSize());
        response.setHeader("Content-Disposition", ContentDisposition.attachment(info.fileName()));
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
        response.setHeader("Cache-Control", "private, no-store");

        if (!tracker.copyAttachment(viewer, info.id().value(), response.getOutputStream())) {
            throw new NotFoundException("no attachment has this id");
        }
    }

    /** {@code POST /campaigns}: creates a campaign owned by the token's subject. */
    void createCampaign(Exchange exchange) throws IOException {
        Viewer viewer = viewer(exchange);
        CampaignBody body = exchange.body(CampaignBody.class);
        Campaign campaign = tracker.createCampaign(viewer, body.campaignName());
        exchange.json(HttpServletResponse.SC_CREATED, Views.createdCampaign(campaign));
    }

    /** {@code POST /campaigns/{campaignId}/emails}: registers an email before it is sent. */
    void registerEmail(Exchange exchange) throws IOException {
        Viewer viewer = viewer(exchange);
        EmailBody body = exchange.body(EmailBody.class);
        if (body.recipientEmail() == null) {
            throw new InvalidRequestException("recipientEmail is required");
        }
        List<String> links = body.links() != null ? body.links() : List.of();
        if (links.stream().anyMatch(Objects::isNull)) {
            throw new InvalidRequestException("links must not contain null");
        }
        NewEmail email =
                new NewEmail(
                        body.recipientEmail(),
                        sentAt(body.sentAt()),
                        links,
                        body.html(),
                        body.messageId());
        var registered = tracker.registerEmail(viewer, exchange.segment(1), email);
        exchange.json(HttpServletResponse.SC_CREATED, Views.registeredEmail(registered));
    }

    /**
     * {@code POST /erase} with {@code {"recipientEmail": ...}}: erases everything kept about one
     * recipient in every campaign. Only an admin without tenant may, since it crosses campaigns.
     */
    void eraseRecipient(Exchange exchange) throws IOException {
        Viewer viewer = viewer(exchange);
        if (!viewer.admin() || viewer.tenant() != null) {
            throw new ForbiddenException("erasing a recipient needs the admin role without tenant");
        }
        EraseBody body = exchange.body(EraseBody.class);
        if (body.recipientEmail() == null || body.recipientEmail().isBlank()) {
            throw new InvalidRequestException("recipientEmail is required");
        }
        int erased = tracker.eraseRecipient(body.recipientEmail());
        exchange.json(HttpServletResponse.SC_OK, Views.erased(erased));
    }

    /** Returns who the token stands for; two tokens are refused, whichever a reader took first. */
    private Viewer viewer(Exchange exchange) {
        if (Collections.list(exchange.request().getHeaders("Authorization")).size() > 1) {
            throw new AuthenticationException("send one Authorization header, not several", true);
        }
        return authenticator.authenticate(exchange.request().getHeader("Authorization"));
    }

    private static Page page(Exchange exchange) {
        int limit = intParameter(exchange, "limit", Page.NEWEST.limit(), 1, Page.MAX_LIMIT);
        int offset = intParameter(exchange, "offset", 0, 0, Integer.MAX_VALUE);
        return new Page(limit, offset);
    }

    /** Reads a query parameter that must be a whole number from {@code min} to {@code max}. */
    private static int intParameter(Exchange exchange, String name, int absent, int min, int max) {
        String value = exchange.query(name);
        if (value == null) {
            return absent;
        }
        BigInteger number = WHOLE_NUMBER.matcher(value).matches() ? new BigInteger(value) : null;
        if (number == null
                || number.compareTo(BigInteger.valueOf(min)) < 0
                || number.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new InvalidRequestException(
                    name + " must be a whole number from " + min + " to " + max);
        }
        return number.intValue();
    }

    private static ZoneId zone(String tz) {
        if (tz == null || tz.isEmpty()) {
            return ZoneOffset.UTC;
        }
        if (tz.startsWith(" ")) {
            // A '+' in a query string is read as a space.
            throw new InvalidRequestException(
                    "tz must not begin with a space; write an offset's '+' as %2B, as in"
                            + " tz=%2B05:45");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(tz);
        } catch (DateTimeException e) {
            throw new InvalidRequestException(
                    WRITTEN_AS_AN_OFFSET.matcher(tz).matches()
                            ? "tz must be an offset from -18:00 to +18:00 written as +hh:mm,"
                                    + " such as +05:45"
                            : "tz must be a time zone such as Europe/Berlin or UTC, or an offset"
                                    + " such as +05:45");
        }
        // The timeline keeps events in quarter hours, which every zone's offset is today.
        if (zone.normalized() instanceof ZoneOffset offset && offset.getTotalSeconds() % 900 != 0) {
            throw new InvalidRequestException(
                    "tz must be a time zone or an offset of whole quarter hours, such as +05:45");
        }
        return zone;
    }

    /**
     * Reads a time as RFC 3339 writes one: Java's own parser would also take an empty fraction, an
     * offset with seconds and the hour 24, which other readers of the same JSON would refuse.
     */
    private static Instant sentAt(String sentAt) {
        if (sentAt == null) {
            return null;
        }
        try {
            if (!RFC_3339_TIME.matcher(sentAt).matches()) {
                throw new DateTimeParseException("not an RFC 3339 time", sentAt, 0);
            }
            return Instant.parse(sentAt.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(
                    "sentAt must be an ISO-8601 time with its seconds and offset, such as"
                            + " 2026-02-10T09:00:00Z or 2026-02-10T10:00:00+01:00");
        }
    }

    private static String servedType(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        boolean office =
                PASSIVE_FAMILIES.stream().anyMatch(type::startsWith) && !type.endsWith("+xml");
        return PASSIVE_TYPES.contains(type) || office ? type : "application/octet-stream";
    }
}
