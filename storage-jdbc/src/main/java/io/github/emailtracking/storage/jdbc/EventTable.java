package io.github.emailtracking.storage.jdbc;

/**
 * A table of event rows, with the statements that delete its rows: those of one email when its
 * recipient is erased, and those older than a cutoff, a window of row ids at a time.
 */
enum EventTable {
    OPEN("et_open", "open_id", "opened_at"),
    CLICK("et_click", "click_id", "clicked_at"),
    REPLY("et_reply", "reply_id", "replied_at"),
    REMINDER("et_reminder", "reminder_id", "sent_at"),
    BOUNCE("et_bounce", "bounce_id", "bounced_at"),
    UNSUBSCRIBE("et_unsubscribe", "unsubscribe_id", "unsubscribed_at");

    private final String deleteOfEmail;
    private final String deleteBefore;
    private final String selectIdRange;

    EventTable(String table, String id, String time) {
        this.deleteOfEmail = "DELETE FROM " + table + " WHERE tracking_id = ?";
        this.deleteBefore =
                "DELETE FROM %s WHERE %s >= ? AND %s < ? AND %s < ?".formatted(table, id, id, time);
        this.selectIdRange = "SELECT MIN(%s), MAX(%s) FROM %s".formatted(id, id, table);
    }

    /** Deletes the rows of one email: its tracking id is the parameter. */
    String deleteOfEmail() {
        return deleteOfEmail;
    }

    /**
     * Deletes the rows older than a cutoff among a window of row ids; the parameters are the first
     * id of the window, the id after its last, and the cutoff in epoch milliseconds. Scanning a
     * range of the primary key bounds the work, however few rows of the window are old.
     */
    String deleteBefore() {
        return deleteBefore;
    }

    /** Selects the lowest and the highest row id, both null when the table is empty. */
    String selectIdRange() {
        return selectIdRange;
    }

    /**
     * The row ids a table holds, at some moment.
     *
     * @param first the lowest
     * @param last the highest
     */
    record IdRange(long first, long last) {}
}
