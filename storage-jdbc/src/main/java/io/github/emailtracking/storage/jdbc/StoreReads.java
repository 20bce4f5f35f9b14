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
import io.github.emailtracking.api.PersonTotals;
import io.github.emailtracking.api.TrackedEmail;
import io.github.emailtracking.api.TrackingId;
import io.github.emailtracking.api.spi.TimelineBuckets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The store's queries. Each runs on a read connection, beside the writer; a status and a report
 * each read one snapshot. Thread-safe.
 */
final class StoreReads {

    private static final String SELECT_CAMPAIGN =
            "SELECT name, owner, tenant, created_at FROM et_campaign WHERE campaign_id = ?";
    private static final String SELECT_EMAIL_WHERE =
            """
            SELECT tracking_id, campaign_id, recipient_email, sent_at, message_id, open_count,
                   click_count, first_open_at, last_open_at, first_click_at, replied_at,
                   reminder_sent_at, bounced_at, unsubscribed_at
              FROM et_email WHERE \
            """;
    private static final String SELECT_EMAIL = SELECT_EMAIL_WHERE + "tracking_id = ?";
    private static final String SELECT_EMAIL_BY_MESSAGE_ID = SELECT_EMAIL_WHERE + "message_id = ?";
    private static final String SELECT_LINK =
            "SELECT 1 FROM et_link WHERE tracking_id = ? AND url_key = ? AND url = ?";
    private static final String SELECT_OPENS =
            """
            SELECT opened_at, ip_address, user_agent, verdict, reason
              FROM et_open WHERE tracking_id = ?
             ORDER BY open_id DESC LIMIT ? OFFSET ?\
            """;
    private static final String SELECT_CLICKS =
            """
            SELECT clicked_at, url, ip_address, user_agent, verdict, reason
              FROM et_click WHERE tracking_id = ?
             ORDER BY click_id DESC LIMIT ? OFFSET ?\
            """;
    private static final String SELECT_ATTACHMENTS =
            """
            SELECT attachment_id, file_name, content_type, file_size, uploaded_at
              FROM et_attachment WHERE tracking_id = ?
             ORDER BY attachment_seq DESC LIMIT ? OFFSET ?\
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
            SELECT tracking_id, file_name, content_type, file_size, uploaded_at, chunk_count,
                   content_sha256
              FROM et_attachment WHERE attachment_id = ?\
            """;
    private static final String SELECT_CHUNK =
            "SELECT content FROM et_attachment_chunk WHERE attachment_id = ? AND chunk_no = ?";
    private static final String SELECT_LAST_JOURNAL_ID =
            "SELECT MAX(journal_id) FROM et_open_journal";
    private static final String SELECT_SETTING = "SELECT value FROM et_setting WHERE name = ?";
    // Bytes kept outside the database have no chunks; an empty file needs none either way.
    private static final String SELECT_NEWEST_KEPT_OUTSIDE =
            """
            SELECT attachment_id FROM et_attachment
             WHERE chunk_count = 0 AND file_size > 0
             ORDER BY attachment_seq DESC LIMIT 1\
            """;

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
                "read the email",
                connection -> email(connection, SELECT_EMAIL, id.value()).map(EmailEntry::email));
    }

    Optional<TrackedEmail> findEmailByMessageId(String messageId) {
        return database.read(
                "read the email",
                connection ->
                        email(connection, SELECT_EMAIL_BY_MESSAGE_ID, messageId)
                                .map(EmailEntry::email));
    }

    boolean isLinkRegistered(TrackingId id, String url) {
        return database.read(
                "look the link up",
                connection -> {
                    try (PreparedStatement select = connection.prepareStatement(SELECT_LINK)) {
                        select.setString(1, id.value());
                        select.setBytes(2, Sha256.of(url));
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
                    Optional<EmailEntry> entry = email(connection, SELECT_EMAIL, id.value());
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
                    Optional<long[]> totals = figures(connection, id);
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

    /** Returns the lowest and the highest row id of an event table, or empty when it has no row. */
    Optional<EventTable.IdRange> idRange(EventTable table) {
        return database.read(
                "read the range of event rows",
                connection -> {
                    try (PreparedStatement select =
                                    connection.prepareStatement(table.selectIdRange());
                            ResultSet row = select.executeQuery()) {
                        row.next();
                        Long first = Sql.nullableLong(row, 1);
                        return first == null
                                ? Optional.empty()
                                : Optional.of(new EventTable.IdRange(first, row.getLong(2)));
                    }
                });
    }

    /**
     * Returns the highest row id of the open journal, or empty when it holds no open.
     *
     * @param action what the read is for, as its failure says: "read the email's status"
     */
    OptionalLong lastJournalId(String action) {
        return database.read(
                action,
                connection -> {
                    try (PreparedStatement select =
                                    connection.prepareStatement(SELECT_LAST_JOURNAL_ID);
                            ResultSet row = select.executeQuery()) {
                        row.next();
                        Long last = Sql.nullableLong(row, 1);
                        return last == null ? OptionalLong.empty() : OptionalLong.of(last);
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

    /** Returns the id of the newest attachment whose bytes are kept outside the database. */
    Optional<String> newestAttachmentKeptOutside() {
        return database.read(
                "find the attachments kept outside the database",
                connection -> {
                    try (PreparedStatement select =
                                    connection.prepareStatement(SELECT_NEWEST_KEPT_OUTSIDE);
                            ResultSet row = select.executeQuery()) {
                        return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
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
                        new Campaign(
                                id,
                                row.getString(1),
                                row.getString(2),
                                row.getString(3),
                                Sql.instant(row, 4)));
            }
        }
    }

    /** Returns the email that a query of {@link #SELECT_EMAIL_WHERE} finds by one key. */
    private static Optional<EmailEntry> email(Connection connection, String sql, String key)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, key);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(emailEntry(row)) : Optional.empty();
            }
        }
    }

    private static EmailEntry emailEntry(ResultSet row) throws SQLException {
        TrackedEmail email =
                new TrackedEmail(
                        new TrackingId(row.getString(1)),
                        new CampaignId(row.getString(2)),
                        row.getString(3),
                        Sql.instant(row, 4),
                        row.getString(5));
        EmailCounters counters =
                new EmailCounters(
                        row.getLong(6),
                        row.getLong(7),
                        Sql.nullableInstant(row, 8),
                        Sql.nullableInstant(row, 9),
                        Sql.nullableInstant(row, 10),
                        Sql.nullableInstant(row, 11),
                        Sql.nullableInstant(row, 12),
                        Sql.nullableInstant(row, 13),
                        Sql.nullableInstant(row, 14));
        return new EmailEntry(email, counters);
    }

    private static List<OpenEvent> opens(Connection connection, TrackingId id, Page page)
            throws SQLException {
        return oldestFirst(
                connection,
                SELECT_OPENS,
                id,
                page,
                row ->
                        new OpenEvent(
                                id,
                                Sql.instant(row, 1),
                                row.getString(2),
                                row.getString(3),
                                Sql.classification(row, 4)));
    }

    private static List<ClickEvent> clicks(Connection connection, TrackingId id, Page page)
            throws SQLException {
        return oldestFirst(
                connection,
                SELECT_CLICKS,
                id,
                page,
                row ->
                        new ClickEvent(
                                id,
                                Sql.instant(row, 1),
                                row.getString(2),
                                row.getString(3),
                                row.getString(4),
                                Sql.classification(row, 5)));
    }

    private static List<AttachmentInfo> attachments(Connection connection, TrackingId id, Page page)
            throws SQLException {
        return oldestFirst(
                connection,
                SELECT_ATTACHMENTS,
                id,
                page,
                row ->
                        new AttachmentInfo(
                                new AttachmentId(row.getString(1)),
                                id,
                                row.getString(2),
                                row.getString(3),
                                row.getLong(4),
                                Sql.instant(row, 5)));
    }

    /**
     * Reads a page of an email's rows, which the query gives newest first, and returns them oldest
     * first.
     */
    private static <T> List<T> oldestFirst(
            Connection connection, String sql, TrackingId id, Page page, RowReader<T> reader)
            throws SQLException {
        List<T> rows = new ArrayList<>();
        try (PreparedStatement select = window(connection, sql, id, page);
                ResultSet row = select.executeQuery()) {
            while (row.next()) {
                rows.add(reader.read(row));
            }
        }
        Collections.reverse(rows);
        return rows;
    }

    /** Makes a value of the current row of a result. */
    private interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
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

    /** Returns the campaign's figures, in the order of {@link CampaignFigure}. */
    private static Optional<long[]> figures(Connection connection, CampaignId id)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(CampaignFigure.SELECT_TOTALS)) {
            select.setString(1, id.value());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                long[] figures = new long[CampaignFigure.values().length];
                for (int i = 0; i < figures.length; i++) {
                    figures[i] = row.getLong(i + 1);
                }
                return Optional.of(figures);
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

    private static List<DailyEngagement> timeline(Connection connection, CampaignId id, ZoneId zone)
            throws SQLException {
        Map<Long, long[]> buckets = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(SELECT_BUCKETS)) {
            select.setString(1, id.value());
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    long[] counts = {row.getLong(2), row.getLong(3), row.getLong(4)};
                    buckets.put(row.getLong(1), counts);
                }
            }
        }
        return TimelineBuckets.days(buckets, zone);
    }

    private static CampaignTotals campaignTotals(
            long[] figures, List<LinkClicks> topLinks, List<DailyEngagement> timeline) {
        PersonTotals person =
                new PersonTotals(
                        figure(figures, CampaignFigure.PERSON_OPENED),
                        figure(figures, CampaignFigure.PERSON_CLICKED),
                        mean(
                                figures,
                                CampaignFigure.PERSON_OPEN_DELAY,
                                CampaignFigure.PERSON_OPENED),
                        mean(
                                figures,
                                CampaignFigure.PERSON_CLICK_DELAY,
                                CampaignFigure.PERSON_CLICKED));
        return new CampaignTotals(
                figure(figures, CampaignFigure.SENT),
                figure(figures, CampaignFigure.OPENED),
                figure(figures, CampaignFigure.CLICKED),
                figure(figures, CampaignFigure.REPLIED),
                figure(figures, CampaignFigure.BOUNCED),
                figure(figures, CampaignFigure.UNSUBSCRIBED),
                mean(figures, CampaignFigure.OPEN_DELAY, CampaignFigure.OPENED),
                mean(figures, CampaignFigure.CLICK_DELAY, CampaignFigure.CLICKED),
                figure(figures, CampaignFigure.OPENS),
                figure(figures, CampaignFigure.CLICKS),
                person,
                figure(figures, CampaignFigure.MACHINE_OPENS),
                figure(figures, CampaignFigure.MACHINE_CLICKS),
                topLinks,
                timeline);
    }

    private static long figure(long[] figures, CampaignFigure figure) {
        return figures[figure.ordinal()];
    }

    /** Returns a sum of delays over a count, in whole milliseconds; null when the count is 0. */
    private static Duration mean(long[] figures, CampaignFigure delay, CampaignFigure count) {
        long n = figure(figures, count);
        return n == 0 ? null : Duration.ofMillis(figure(figures, delay) / n);
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
        return new StoredAttachment(info, row.getInt(6), row.getBytes(7));
    }

    private record EmailEntry(TrackedEmail email, EmailCounters counters) {}
}
