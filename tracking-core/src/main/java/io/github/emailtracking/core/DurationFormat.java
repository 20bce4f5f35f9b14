package io.github.emailtracking.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a duration the way reports show it: its two largest non-zero units among days, hours,
 * minutes and seconds, such as {@code "2 hours 15 minutes"}, {@code "45 seconds"} or {@code "3 days
 * 4 hours"}. Fractions of a second are dropped.
 */
public final class DurationFormat {

    private DurationFormat() {}

    /**
     * Formats {@code duration}.
     *
     * @return the text, or {@code "0 seconds"} for a duration under one second or negative
     */
    public static String format(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        long[] amounts = {seconds / 86_400, seconds / 3_600 % 24, seconds / 60 % 60, seconds % 60};
        String[] units = {"day", "hour", "minute", "second"};

        List<String> parts = new ArrayList<>(2);
        for (int i = 0; i < amounts.length && parts.size() < 2; i++) {
            if (amounts[i] > 0) {
                parts.add(amounts[i] + " " + units[i] + (amounts[i] == 1 ? "" : "s"));
            }
        }
        return parts.isEmpty() ? "0 seconds" : String.join(" ", parts);
    }
}
