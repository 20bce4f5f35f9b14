package io.github.emailtracking.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.emailtracking.api.BounceType;
import io.github.emailtracking.api.InvalidRequestException;
import io.github.emailtracking.api.TrackingId;
import io.github.emailtracking.core.EmailTracker;
import io.github.emailtracking.servlet.JsonBodies.BounceBody;
import io.github.emailtracking.servlet.JsonBodies.ReplyBody;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The routes that email clients and mail flows call without credentials: the open pixel, the click
 * redirect and the webhooks. Every one of them takes hostile input.
 */
final class PublicRoutes {

    private static final Pattern DIGITS = Pattern.compile("\\s*\\d{1,10}\\s*");

    private final EmailTracker tracker;
    private final Uploads uploads;
    private final WebhookSecret webhookSecret;

    PublicRoutes(EmailTracker tracker, Uploads uploads, WebhookSecret webhookSecret) {
        this.tracker = tracker;
        this.uploads = uploads;
        this.webhookSecret = webhookSecret;
    }

    /**
     * {@code GET /open/{trackingId}}: the same pixel whatever happens to the open, sent once the
     * open is stored. Where the container lets the request go asynchronous, no thread waits for the
     * store meanwhile. A path with more segments after the id is a malformed id: the pixel, and
     * nothing recorded.
     */
    void open(Exchange exchange) throws IOException {
        if (exchange.segmentCount() > 2) {
            Pixel.write(exchange.response());
            return;
        }
        if (!exchange.request().isAsyncSupported()) {
            tracker.recordOpen(exchange.segment(1), exchange.client());
            Pixel.write(exchange.response());
            return;
        }
        CompletableFuture<Boolean> recorded =
                tracker.recordOpenAsync(exchange.segment(1), exchange.client())
                        .toCompletableFuture();
        if (recorded.isDone()) {
            Pixel.write(exchange.response());
            return;
        }
        PixelLater.answer(exchange, recorded);
    }

    /** {@code HEAD /open/{trackingId}}: the pixel's headers; scanners send HEAD, so no open. */
    void openHead(Exchange exchange) {
        Pixel.writeHeaders(exchange.response());
    }

    /** {@code GET /click/{trackingId}?redirect=URL&sig=...}: records and redirects. */
    void click(Exchange exchange) {
        String location =
                tracker.recordClick(
                        exchange.segment(1),
                        redirectParameter(exchange),
                        exchange.query("sig"),
                        exchange.client());
        redirect(exchange.response(), location);
    }

    /** {@code HEAD /click/{trackingId}}: redirects like GET but records nothing. */
    void clickHead(Exchange exchange) {
        String location =
                tracker.resolveClick(
                        exchange.segment(1), redirectParameter(exchange), exchange.query("sig"));
        redirect(exchange.response(), location);
    }

    /** {@code POST /reply/{trackingId}}: a mail flow reports a reply. */
    void reply(Exchange exchange) throws IOException {
        webhookSecret.check(exchange);
        ReplyBody body = exchange.body(ReplyBody.class);
        int attachmentCount = attachmentCount(body.attachmentCount());
        tracker.recordReply(
                exchange.segment(1), body.replyMessage(), attachmentCount, body.messageId());
        exchange.json(HttpServletResponse.SC_OK, Views.message("Reply tracked successfully"));
    }

    /**
     * {@code POST /reply}: a reply identified by its {@code In-Reply-To} and {@code References}
     * headers instead of a tracking id, so that a flow need not dig the id out of the mail. The
     * answer names the tracking id, for the attachment uploads that follow.
     */
    void replyByHeaders(Exchange exchange) throws IOException {
        webhookSecret.check(exchange);
        ReplyBody body = exchange.body(ReplyBody.class);
        if (isBlank(body.inReplyTo()) && isBlank(body.references())) {
            throw new InvalidRequestException(
                    "a reply without a tracking id in the path needs inReplyTo or references");
        }
        TrackingId id =
                tracker.recordReplyByHeaders(
                        body.inReplyTo(),
                        body.references(),
                        body.replyMessage(),
                        attachmentCount(body.attachmentCount()),
                        body.messageId());
        exchange.json(HttpServletResponse.SC_OK, Views.matchedReply(id));
    }

    /** {@code POST /bounce/{trackingId}}: a mail flow reports a bounce. */
    void bounce(Exchange exchange) throws IOException {
        webhookSecret.check(exchange);
        BounceBody body = exchange.body(BounceBody.class);
        tracker.recordBounce(exchange.segment(1), bounceType(body.type()), body.reason());
        exchange.json(HttpServletResponse.SC_OK, Views.message("Bounce recorded"));
    }

    /** {@code POST /reply-attachment/{trackingId}}: a file of a reply, as multipart. */
    void uploadAttachment(Exchange exchange) throws IOException {
        webhookSecret.check(exchange);
        uploads.receive(exchange, exchange.segment(1));
    }

    /** {@code POST /reminder-sent/{trackingId}}: a mail flow reports a reminder. */
    void reminderSent(Exchange exchange) throws IOException {
        webhookSecret.check(exchange);
        tracker.recordReminder(exchange.segment(1));
        exchange.json(HttpServletResponse.SC_OK, Views.message("Reminder marked as sent"));
    }

    private static BounceType bounceType(String type) {
        if ("hard".equalsIgnoreCase(type)) {
            return BounceType.HARD;
        }
        if ("soft".equalsIgnoreCase(type)) {
            return BounceType.SOFT;
        }
        throw new InvalidRequestException("type must be \"hard\" or \"soft\"");
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String redirectParameter(Exchange exchange) {
        String redirect = exchange.query("redirect");
        if (redirect == null || redirect.isEmpty()) {
            throw new InvalidRequestException("the redirect query parameter is required");
        }
        return redirect;
    }

    private static void redirect(HttpServletResponse response, String location) {
        response.setStatus(HttpServletResponse.SC_FOUND);
        response.setHeader("Location", location);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(0);
    }

    /**
     * Reads {@code attachmentCount} as a number or as a string holding one, since Power Automate
     * expressions produce either; absent, null or empty means 0. A number may be written with a
     * fraction or an exponent when it is whole, such as {@code 2.0} or {@code 2E0}.
     */
    static int attachmentCount(JsonNode value) {
        if (value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
            return 0;
        }
        if (value.isIntegralNumber() && value.canConvertToInt() && value.intValue() >= 0) {
            return value.intValue();
        }
        if (value.isFloatingPointNumber() && isWholeCount(value)) {
            return value.decimalValue().intValueExact();
        }
        if (value.isTextual() && DIGITS.matcher(value.asText()).matches()) {
            long count = Long.parseLong(value.asText().strip());
            if (count <= Integer.MAX_VALUE) {
                return (int) count;
            }
        }
        throw new InvalidRequestException(
                "attachmentCount must be a whole number from 0 to "
                        + Integer.MAX_VALUE
                        + ", or a string holding one");
    }

    /** Returns whether a number with a fraction or an exponent is a whole count an int holds. */
    private static boolean isWholeCount(JsonNode number) {
        if (number.isDouble() && !Double.isFinite(number.doubleValue())) {
            return false;
        }
        BigDecimal decimal = number.decimalValue();
        return decimal.signum() >= 0
                && decimal.stripTrailingZeros().scale() <= 0
                && decimal.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0;
    }
}
