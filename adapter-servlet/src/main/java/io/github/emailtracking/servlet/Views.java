package io.github.emailtracking.servlet;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.emailtracking.api.AttachmentInfo;
import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.CampaignReport;
import io.github.emailtracking.api.CampaignTotals;
import io.github.emailtracking.api.Classification;
import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.DailyEngagement;
import io.github.emailtracking.api.EmailCounters;
import io.github.emailtracking.api.EmailStatus;
import io.github.emailtracking.api.LinkClicks;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.PersonTotals;
import io.github.emailtracking.api.TrackedEmail;
import io.github.emailtracking.api.TrackingId;
import io.github.emailtracking.core.DurationFormat;
import io.github.emailtracking.core.RegisteredEmail;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON answers of every route, as records whose component names are the field names of the HTTP
 * contract. Times are ISO-8601 UTC to the second with a {@code Z}; absent times are null.
 */
final class Views {

    private Views() {}

    record Message(boolean success, String message) {}

    record Upload(
            boolean success,
            String attachmentId,
            String fileName,
            long fileSize,
            String uploadedDateTime) {}

    record Status(
            boolean success,
            Tracking tracking,
            List<Open> opens,
            List<Click> clicks,
            List<Attachment> replyAttachments) {}

    record Tracking(
            String trackingId,
            String campaignId,
            String recipientEmail,
            long openCount,
            long clickCount,
            boolean replied,
            boolean reminderSent,
            String firstOpenAt,
            String lastOpenAt,
            String firstClickAt,
            String repliedAt,
            String sentAt,
            String bouncedAt,
            String unsubscribedAt) {}

    record Open(
            String openedAt, String ipAddress, String userAgent, String verdict, String reason) {}

    record Click(
            String clickedAt, String clickedUrl, String ipAddress, String verdict, String reason) {}

    record Attachment(String attachmentId, String fileName, long fileSize, String uploadedAt) {}

    record Report(
            boolean success,
            CampaignStats campaign,
            List<TopLink> topLinks,
            List<Day> engagementTimeline) {}

    record CampaignStats(
            String campaignId,
            String campaignName,
            long sentCount,
            long openedCount,
            long clickedCount,
            long repliedCount,
            double openRate,
            double clickRate,
            double replyRate,
            long bounceCount,
            long unsubscribeCount,
            String averageTimeToOpen,
            String averageTimeToClick,
            long totalOpens,
            long totalClicks,
            Human human,
            Machine machine) {}

    record Human(
            long openedCount,
            long clickedCount,
            double openRate,
            double clickRate,
            String averageTimeToOpen,
            String averageTimeToClick) {}

    record Machine(long opens, long clicks) {}

    record TopLink(String url, long clicks) {}

    record Day(String date, long opens, long clicks, long replies) {}

    record CreatedCampaign(boolean success, CampaignRef campaign) {}

    record CampaignRef(String campaignId, String campaignName) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RegisteredEmailView(
            boolean success,
            String trackingId,
            String messageId,
            String openUrl,
            Map<String, String> clickUrls,
            String html,
            String unsubscribeUrl,
            String listUnsubscribe,
            String listUnsubscribePost) {}

    record MatchedReply(boolean success, String message, String trackingId) {}

    record Erased(boolean success, int erasedEmails) {}

    static Message message(String message) {
        return new Message(true, message);
    }

    static Message failure(String message) {
        return new Message(false, message);
    }

    static MatchedReply matchedReply(TrackingId id) {
        return new MatchedReply(true, "Reply tracked successfully", id.value());
    }

    static Erased erased(int count) {
        return new Erased(true, count);
    }

    static Upload upload(AttachmentInfo info) {
        return new Upload(
                true, info.id().value(), info.fileName(), info.fileSize(), time(info.uploadedAt()));
    }

    static Status status(EmailStatus status) {
        TrackedEmail email = status.email();
        EmailCounters counters = status.counters();
        Tracking tracking =
                new Tracking(
                        email.trackingId().value(),
                        email.campaignId().value(),
                        email.recipientEmail(),
                        counters.openCount(),
                        counters.clickCount(),
                        counters.replied(),
                        counters.reminderSent(),
                        time(counters.firstOpenAt()),
                        time(counters.lastOpenAt()),
                        time(counters.firstClickAt()),
                        time(counters.repliedAt()),
                        time(email.sentAt()),
                        time(counters.bouncedAt()),
                        time(counters.unsubscribedAt()));
        return new Status(
                true,
                tracking,
                status.opens().stream().map(Views::open).toList(),
                status.clicks().stream().map(Views::click).toList(),
                status.attachments().stream().map(Views::attachment).toList());
    }

    static Report report(CampaignReport report) {
        Campaign campaign = report.campaign();
        CampaignTotals totals = report.totals();
        CampaignStats stats =
                new CampaignStats(
                        campaign.id().value(),
                        campaign.name(),
                        totals.sentCount(),
                        totals.openedCount(),
                        totals.clickedCount(),
                        totals.repliedCount(),
                        report.openRate(),
                        report.clickRate(),
                        report.replyRate(),
                        totals.bounceCount(),
                        totals.unsubscribeCount(),
                        duration(totals.averageTimeToOpen()),
                        duration(totals.averageTimeToClick()),
                        totals.openCount(),
                        totals.clickCount(),
                        human(report),
                        new Machine(totals.machineOpens(), totals.machineClicks()));
        return new Report(
                true,
                stats,
                totals.topLinks().stream().map(Views::topLink).toList(),
                totals.timeline().stream().map(Views::day).toList());
    }

    private static Human human(CampaignReport report) {
        PersonTotals person = report.totals().person();
        return new Human(
                person.openedCount(),
                person.clickedCount(),
                report.personOpenRate(),
                report.personClickRate(),
                duration(person.averageTimeToOpen()),
                duration(person.averageTimeToClick()));
    }

    static CreatedCampaign createdCampaign(Campaign campaign) {
        return new CreatedCampaign(true, new CampaignRef(campaign.id().value(), campaign.name()));
    }

    static RegisteredEmailView registeredEmail(RegisteredEmail email) {
        return new RegisteredEmailView(
                true,
                email.trackingId().value(),
                email.messageId(),
                email.openUrl(),
                email.clickUrls(),
                email.html(),
                email.unsubscribeUrl(),
                email.listUnsubscribe(),
                email.listUnsubscribePost());
    }

    /** Writes an instant as the contract wants it, or null. */
    static String time(Instant instant) {
        if (instant == null) {
            return null;
        }
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    private static Open open(OpenEvent open) {
        Classification c = open.classification();
        return new Open(
                time(open.at()), open.ipAddress(), open.userAgent(), verdict(c), c.reason());
    }

    private static Click click(ClickEvent click) {
        Classification c = click.classification();
        return new Click(time(click.at()), click.url(), click.ipAddress(), verdict(c), c.reason());
    }

    private static String verdict(Classification classification) {
        return classification.verdict().name().toLowerCase(Locale.ROOT);
    }

    private static Attachment attachment(AttachmentInfo info) {
        return new Attachment(
                info.id().value(), info.fileName(), info.fileSize(), time(info.uploadedAt()));
    }

    private static TopLink topLink(LinkClicks link) {
        return new TopLink(link.url(), link.clicks());
    }

    private static Day day(DailyEngagement day) {
        return new Day(day.date().toString(), day.opens(), day.clicks(), day.replies());
    }

    private static String duration(Duration duration) {
        return duration == null ? null : DurationFormat.format(duration);
    }
}
