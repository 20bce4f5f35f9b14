package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.AttachmentInfo;
import io.github.emailtracking.api.BounceEvent;
import io.github.emailtracking.api.Classification;
import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.InvalidRequestException;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.ReplyEvent;
import io.github.emailtracking.api.TrackingEvent;

/**
 * The text the store keeps for what it is given: without NUL characters, which PostgreSQL text
 * cannot hold. An event or a file name from the internet may carry one (a user agent is any header
 * value a client sends); removing it keeps the event instead of failing it, and is done on SQLite
 * too so that both databases give back the same text.
 */
final class StoredText {

    private static final char NUL = '\0';

    private StoredText() {}

    /**
     * Refuses a text that the sender gives the store to keep, such as a campaign's name, when it
     * holds a NUL character: unlike what arrives from the internet, it is kept as given, or not at
     * all. The memory store refuses it too, so every store answers alike.
     *
     * @throws InvalidRequestException naming {@code what}
     */
    static String requireNoNul(String text, String what) {
        if (hasNul(text)) {
            throw new InvalidRequestException(
                    what + " holds a NUL character, which the store cannot keep");
        }
        return text;
    }

    /** Returns the text without NUL characters; null stays null. */
    static String of(String text) {
        return text == null || text.indexOf(NUL) < 0 ? text : text.replace(String.valueOf(NUL), "");
    }

    /** Returns the event with every text it carries as it is stored; the same event when clean. */
    static TrackingEvent inEvent(TrackingEvent event) {
        if (event instanceof OpenEvent open) {
            return inOpen(open);
        }
        if (event instanceof ClickEvent click) {
            return inClick(click);
        }
        if (event instanceof ReplyEvent reply
                && (hasNul(reply.message()) || hasNul(reply.messageId()))) {
            return new ReplyEvent(
                    reply.trackingId(),
                    reply.at(),
                    of(reply.message()),
                    reply.attachmentCount(),
                    of(reply.messageId()));
        }
        if (event instanceof BounceEvent bounce && hasNul(bounce.reason())) {
            return new BounceEvent(
                    bounce.trackingId(), bounce.at(), bounce.type(), of(bounce.reason()));
        }
        return event;
    }

    /** Returns the description with its file name and content type as they are stored. */
    static AttachmentInfo inAttachment(AttachmentInfo info) {
        if (!hasNul(info.fileName()) && !hasNul(info.contentType())) {
            return info;
        }
        return new AttachmentInfo(
                info.id(),
                info.trackingId(),
                of(info.fileName()),
                of(info.contentType()),
                info.fileSize(),
                info.uploadedAt());
    }

    private static OpenEvent inOpen(OpenEvent open) {
        Classification classification = open.classification();
        boolean clean =
                !hasNul(open.ipAddress())
                        && !hasNul(open.userAgent())
                        && !hasNul(classification.reason());
        if (clean) {
            return open;
        }
        return new OpenEvent(
                open.trackingId(),
                open.at(),
                of(open.ipAddress()),
                of(open.userAgent()),
                inClassification(classification));
    }

    private static ClickEvent inClick(ClickEvent click) {
        Classification classification = click.classification();
        boolean clean =
                !hasNul(click.url())
                        && !hasNul(click.ipAddress())
                        && !hasNul(click.userAgent())
                        && !hasNul(classification.reason());
        if (clean) {
            return click;
        }
        return new ClickEvent(
                click.trackingId(),
                click.at(),
                of(click.url()),
                of(click.ipAddress()),
                of(click.userAgent()),
                inClassification(classification));
    }

    private static Classification inClassification(Classification classification) {
        return new Classification(classification.verdict(), of(classification.reason()));
    }

    /** Returns whether the text holds a NUL character. */
    static boolean hasNul(String text) {
        return text != null && text.indexOf(NUL) >= 0;
    }
}
