package io.github.emailtracking.storage.jdbc;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The figures of a campaign's row in {@code et_campaign_totals}, one column each, listed once so
 * that the writer adds to them and the reads select them in the same order.
 */
enum CampaignFigure {
    SENT("sent_count"),
    OPENED("opened_count"),
    CLICKED("clicked_count"),
    REPLIED("replied_count"),
    BOUNCED("bounced_count"),
    UNSUBSCRIBED("unsubscribed_count"),
    OPEN_DELAY("open_delay_ms"),
    CLICK_DELAY("click_delay_ms"),
    OPENS("open_count"),
    CLICKS("click_count"),
    MACHINE_OPENS("machine_open_count"),
    MACHINE_CLICKS("machine_click_count"),
    PERSON_OPENED("person_opened_count"),
    PERSON_CLICKED("person_clicked_count"),
    PERSON_OPEN_DELAY("person_open_delay_ms"),
    PERSON_CLICK_DELAY("person_click_delay_ms");

    private static final String ADD_ON_SQLITE = addToTotals("MAX(MIN(%1$s + ?, %2$d), 0)");
    private static final String ADD_ON_POSTGRESQL =
            addToTotals("GREATEST(LEAST(%1$s::numeric + ?, %2$d), 0)::bigint");

    /** Selects every figure of one campaign, in the order of the constants. */
    static final String SELECT_TOTALS =
            "SELECT "
                    + Arrays.stream(values())
                            .map(figure -> figure.column)
                            .collect(Collectors.joining(", "))
                    + " FROM et_campaign_totals WHERE campaign_id = ?";

    private final String column;

    CampaignFigure(String column) {
        this.column = column;
    }

    /**
     * Returns the statement that adds a parameter to each figure of one campaign, in the order of
     * the constants. A sum of delays stops at the largest long instead of failing the write: on
     * PostgreSQL an overflow would fail every fold of the journal after it, and so every read. As
     * such a sum no longer knows how far past it went, a delay taken from it later stops at zero.
     */
    static String addToTotals(Dialect dialect) {
        return dialect == Dialect.POSTGRESQL ? ADD_ON_POSTGRESQL : ADD_ON_SQLITE;
    }

    private static String addToTotals(String saturatedAdd) {
        return "UPDATE et_campaign_totals SET "
                + Arrays.stream(values())
                        .map(figure -> figure.column + " = " + figure.added(saturatedAdd))
                        .collect(Collectors.joining(", "))
                + " WHERE campaign_id = ?";
    }

    private String added(String saturatedAdd) {
        return isDelay() ? String.format(saturatedAdd, column, Long.MAX_VALUE) : column + " + ?";
    }

    private boolean isDelay() {
        return switch (this) {
            case OPEN_DELAY, CLICK_DELAY, PERSON_OPEN_DELAY, PERSON_CLICK_DELAY -> true;
            default -> false;
        };
    }
}
