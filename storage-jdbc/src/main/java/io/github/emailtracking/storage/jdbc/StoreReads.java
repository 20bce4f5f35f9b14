package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.AttachmentId;
import io.github.emailtracking.api.AttachmentInfo;
import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.CampaignId;
import io.github.emailtracking.api.CampaignTotals;
import io.github.emailtracking.api.ClickEvent;
import io.github.emailtracking.api.DailyEngagement;
import io.github.emailtracking.api.EmailCounters;
import io.github.emailtracking.api.EmailStatus;
import io.github.emailtracking.api.LinkClicks;
import io.github.emailtracking.api.OpenEvent;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.TrackedEmail;
import io.github.emailtracking.api.TrackingId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The store's queries. Each runs on a read connection, beside the writer; a status and a report
 * each read one snapshot. Thread-safe.
 */
final class StoreReads {

    private static final String SELECT_CAMPAIGN =
            "SELECT name, owner, created_at FROM et_campaign WHERE campaign_id = ?";
    private static final String SELECT_EMAIL =
            """
            SELECT campaign_id, recipient_email, sent_at, open_count, click_count,
                   first_open_at, last_open_at, first_click_at, replied_at, reminder_sent_at,
                   bounced_at, unsubscribed_at
              FROM et_email WHERE tracking_id = ?\
            """;
    private static final String SELECT_LINK =
            "SELECT 1 FROM et_link WHERE tracking_id = ? AND url_key = ? AND url = ?";
    private static final String SELECT_OPENS =
            """
            SELECT opened_at, ip_address, user_agent FROM et_open WHERE tracking_id = ?
             ORDER BY open_id DESC LIMIT ? OFFSET ?\
            """;
    private static final String SELECT_CLICKS =
            """
            SELECT clicked_at, url, ip_address, user_agent FROM et_click WHERE tracking_id = ?
             ORDER BY click_id DESC LIMIT ? OFFSET ?\
            """;
    private static final String SELECT_ATTACHMENTS =
            """
            SELECT attachment_id, file_name, content_type, file_size, uploaded_at
              FROM et_attachment WHERE tracking_id = ?
             ORDER BY attachment_seq DESC LIMIT ? OFFSET ?\
            """;
    private static final String SELECT_TOTALS =
            """
            SELECT sent_count, opened_count, clicked_count, replied_count, bounced_count,
                   unsubscribed_count, open_delay_ms, click_delay_ms
              FROM et_campaign_totals WHERE campaign_id = ?\
            """;
    private static final String SELECT_TOP_LINKS =
            """
            SELECT url, clicks FROM et_campaign_link WHERE campaign_id = ?
             ORDER BY clicks DESC, url%s LIMIT ?\
            """;
    private static final String SELECT_BUCKETS =
            """
            SELECT bucket_start, opens, clicks, replies FROM et_campaign_bucket
             WHERE campaign_id = ? ORDER BY bucket_start\
            """;
    private static final String SELECT_ATTACHMENT =
            """
            SELECT tracking_id, file_name, content_type, file_size, uploaded_at, chunk_count
              FROM et_attachment WHERE attachment_id = ?\
            """;
    private static final String SELECT_CHUNK =
            "SELECT content FROM et_attachment_chunk WHERE attachment_id = ? AND chunk_no = ?";
    private static final String SELECT_SETTING = "SELECT value FROM et_setting WHERE name = ?";

    private final Database database;
    private final String selectTopLinks;

    StoreReads(Database database) {
        this.database = database;
        this.selectTopLinks = SELECT_TOP_LINKS.formatted(database.dialect().codePointOrder());
    }

    Optional<Campaign> findCampaign(CampaignId id) {
        return database.read("read the campaign", connection -> campaign(connection, id));
    }

    Optional<TrackedEmail> findEmail(TrackingId id) {
        return database.read(
                "read the email", connection -> email(connection, id).map(EmailEntry::email));
    }

    boolean isLinkRegistered(TrackingId id, String url) {
        return database.read(
                "look the link up",
                connection -> {
                    try (PreparedStatement select = connection.prepareStatement(SELECT_LINK)) {
                        select.setString(1, id.value());
                        select.setBytes(2, UrlKeys.of(url));
                        select.setString(3, url);
                        try (ResultSet row = select.executeQuery()) {
                            return row.next();
                        }
                    }
                });
    }

    Optional<EmailStatus> status(TrackingId id, Page page) {
        return database.readSnapshot(
                "read the email's status",
                connection -> {
                    Optional<EmailEntry> entry = email(connection, id);
                    if (entry.isEmpty()) {
                        return Optional.empty();
                    }
                    return Optional.of(
                            new EmailStatus(
                                    entry.get().email(),
                                    entry.get().counters(),
                                    opens(connection, id, page),
                                    clicks(connection, id, page),
                                    attachments(connection, id, page)));
                });
    }

    Optional<CampaignTotals> campaignTotals(CampaignId id, ZoneId zone, int topLinkLimit) {
        return database.readSnapshot(
                "read the campaign's report",
                connection -> {
                    Optional<long[]> totals = totals(connection, id);
                    if (totals.isEmpty()) {
                        return Optional.empty();
                    }
                    return Optional.of(
                            campaignTotals(
                                    totals.get(),
                                    topLinks(connection, id, topLinkLimit),
                                    timeline(connection, id, zone)));
                });
    }

    Optional<StoredAttachment> findAttachment(AttachmentId id) {
        return database.read(
                "read the attachment",
                connection -> {
                    try (PreparedStatement select =
                            connection.prepareStatement(SELECT_ATTACHMENT)) {
                        select.setString(1, id.value());
                        try (ResultSet row = select.executeQuery()) {
                            return row.next()
                                    ? Optional.of(storedAttachment(id, row))
                                    : Optional.empty();
                        }
                    }
                });
    }

    /** Returns one chunk of an attachment's content, or null when it is missing. */
    byte[] chunk(AttachmentId id, int chunkNo) {
        return database.read(
                "read the attachment's content",
                connection -> {
                    try (PreparedStatement select = connection.prepareStatement(SELECT_CHUNK)) {
                        select.setString(1, id.value());
                        select.setInt(2, chunkNo);
                        try (ResultSet row = select.executeQuery()) {
                            return row.next() ? row.getBytes(1) : null;
                        }
                    }
                });
    }

    /** Returns a setting's value, or empty when it has none yet. */
    Optional<String> setting(String name) {
        return database.read(
                "read the setting",
                connection -> {
                    try (PreparedStatement select = connection.prepareStatement(SELECT_SETTING)) {
                        select.setString(1, name);
                        try (ResultSet row = select.executeQuery()) {
                            return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
                        }
                    }
                });
    }

    private static Optional<Campaign> campaign(Connection connection, CampaignId id)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SELECT_CAMPAIGN)) {
            select.setString(1, id.value());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(
                        new Campaign(id, row.getString(1), row.getString(2), Sql.instant(row, 3)));
            }
        }
    }

    private static Optional<EmailEntry> email(Connection connection, TrackingId id)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SELECT_EMAIL)) {
            select.setString(1, id.value());
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(emailEntry(id, row)) : Optional.empty();
            }
        }
    }

    private static EmailEntry emailEntry(TrackingId id, ResultSet row) throws SQLException {
        TrackedEmail email =
                new TrackedEmail(
                        id,
                        new CampaignId(row.getString(1)),
                        row.getString(2),
                        Sql.instant(row, 3));
        EmailCounters counters =
                new EmailCounters(
                        row.getLong(4),
                        row.getLong(5),
                        Sql.nullableInstant(row, 6),
                        Sql.nullableInstant(row, 7),
                        Sql.nullableInstant(row, 8),
                        Sql.nullableInstant(row, 9),
                        Sql.nullableInstant(row, 10),
                        Sql.nullableInstant(row, 11),
                        Sql.nullableInstant(row, 12));
        return new EmailEntry(email, counters);
    }

    private static List<OpenEvent> opens(Connection connection, TrackingId id, Page page)
            throws SQLException {
        List<OpenEvent> opens = new ArrayList<>();
        try (PreparedStatement select = window(connection, SELECT_OPENS, id, page);
                ResultSet row = select.executeQuery()) {
            while (row.next()) {
                opens.add(
                        new OpenEvent(id, Sql.instant(row, 1), row.getString(2), row.getString(3)));
            }
        }
        Collections.reverse(opens);
        return opens;
    }

    private static List<ClickEvent> clicks(Connection connection, TrackingId id, Page page)
            throws SQLException {
        List<ClickEvent> clicks = new ArrayList<>();
        try (PreparedStatement select = window(connection, SELECT_CLICKS, id, page);
                ResultSet row = select.executeQuery()) {
            while (row.next()) {
                clicks.add(
                        new ClickEvent(
                                id,
                                Sql.instant(row, 1),
                                row.getString(2),
                                row.getString(3),
                                row.getString(4)));
            }
        }
        Collections.reverse(clicks);
        return clicks;
    }

    private static List<AttachmentInfo> attachments(Connection connection, TrackingId id, Page page)
            throws SQLException {
        List<AttachmentInfo> attachments = new ArrayList<>();
        try (PreparedStatement select = window(connection, SELECT_ATTACHMENTS, id, page);
                ResultSet row = select.executeQuery()) {
            while (row.next()) {
                attachments.add(
                        new AttachmentInfo(
                                new AttachmentId(row.getString(1)),
                                id,
                                row.getString(2),
                                row.getString(3),
                                row.getLong(4),
                                Sql.instant(row, 5)));
            }
        }
        Collections.reverse(attachments);
        return attachments;
    }

    /** Prepares a query for the newest events of a page, newest first. */
    private static PreparedStatement window(
            Connection connection, String sql, TrackingId id, Page page) throws SQLException {
        PreparedStatement select = connection.prepareStatement(sql);
        select.setString(1, id.value());
        select.setInt(2, page.limit());
        select.setInt(3, page.offset());
        return select;
    }

    private static Optional<long[]> totals(Connection connection, CampaignId id)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SELECT_TOTALS)) {
            select.setString(1, id.value());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                long[] totals = new long[8];
                for (int i = 0; i < totals.length; i++) {
                    totals[i] = row.getLong(i + 1);
                }
                return Optional.of(totals);
            }
        }
    }

    private List<LinkClicks> topLinks(Connection connection, CampaignId id, int limit)
            throws SQLException {
        List<LinkClicks> links = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(selectTopLinks)) {
            select.setString(1, id.value());
            select.setInt(2, limit);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    links.add(new LinkClicks(row.getString(1), row.getLong(2)));
                }
            }
        }
        return links;
    }

    /**
     * Folds the campaign's 15-minute buckets into calendar days of the zone. A bucket lies within
     * one local day because every zone offset in use is a whole number of quarter hours.
     */
    private static List<DailyEngagement> timeline(Connection connection, CampaignId id, ZoneId zone)
            throws SQLException {
        Map<LocalDate, long[]> days = new TreeMap<>();
        try (PreparedStatement select = connection.prepareStatement(SELECT_BUCKETS)) {
            select.setString(1, id.value());
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    LocalDate day = LocalDate.ofInstant(Instant.ofEpochMilli(row.getLong(1)), zone);
                    long[] counts = days.computeIfAbsent(day, d -> new long[3]);
                    for (int i = 0; i < counts.length; i++) {
                        counts[i] += row.getLong(i + 2);
                    }
                }
            }
        }
        List<DailyEngagement> timeline = new ArrayList<>(days.size());
        days.forEach((day, n) -> timeline.add(new DailyEngagement(day, n[0], n[1], n[2])));
        return timeline;
    }

    /** Builds the totals; each mean is a sum over a count in whole milliseconds. */
    private static CampaignTotals campaignTotals(
            long[] totals, List<LinkClicks> topLinks, List<DailyEngagement> timeline) {
        long opened = totals[1];
        long clicked = totals[2];
        return new CampaignTotals(
                totals[0],
                opened,
                clicked,
                totals[3],
                totals[4],
                totals[5],
                opened == 0 ? null : Duration.ofMillis(totals[6] / opened),
                clicked == 0 ? null : Duration.ofMillis(totals[7] / clicked),
                topLinks,
                timeline);
    }

    private static StoredAttachment storedAttachment(AttachmentId id, ResultSet row)
            throws SQLException {
        AttachmentInfo info =
                new AttachmentInfo(
                        id,
                        new TrackingId(row.getString(1)),
                        row.getString(2),
                        row.getString(3),
                        row.getLong(4),
                        Sql.instant(row, 5));
        return new StoredAttachment(info, row.getInt(6));
    }

    private record EmailEntry(TrackedEmail email, EmailCounters counters) {}
}
