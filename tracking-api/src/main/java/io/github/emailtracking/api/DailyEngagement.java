package io.github.emailtracking.api;

import java.time.LocalDate;
import java.util.Objects;

/**
 * The events of one campaign on one calendar day, in the zone the report was asked for.
 *
 * @param date the day
 * @param opens opens on that day
 * @param clicks clicks on that day
 * @param replies replies on that day
 */
public record DailyEngagement(LocalDate date, long opens, long clicks, long replies) {

    /** Creates the row; {@code date} is required. */
    public DailyEngagement {
        Objects.requireNonNull(date, "date");
    }
}
