package io.github.emailtracking.api.spi;

import io.github.emailtracking.api.DailyEngagement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The way stores keep a campaign's timeline: counts per 15-minute bucket of UTC time, folded into
 * calendar days of whatever zone a report asks for. Every zone offset in use today is a whole
 * number of quarter hours, so no bucket straddles a midnight and the days are exact, on
 * daylight-saving days too.
 *
 * <p>Note: a historical offset such as local mean time is not a whole quarter hour; a bucket that
 * it splits is counted on the day its start falls in.
 */
public final class TimelineBuckets {

    /** The width of one bucket. */
    public static final Duration WIDTH = Duration.ofMinutes(15);

    private static final long WIDTH_MILLIS = WIDTH.toMillis();

    private TimelineBuckets() {}

    /** Returns the start of the bucket that holds {@code at}, in epoch milliseconds. */
    public static long bucketStart(Instant at) {
        return Math.floorDiv(at.toEpochMilli(), WIDTH_MILLIS) * WIDTH_MILLIS;
    }

    /**
     * Folds bucket counts into days.
     *
     * @param buckets for each bucket start (epoch milliseconds), its opens, clicks and replies
     * @param zone the zone whose calendar days to count in
     * @return one row per day with any count, oldest first
     */
    public static List<DailyEngagement> days(Map<Long, long[]> buckets, ZoneId zone) {
        Map<LocalDate, long[]> days = new TreeMap<>();
        buckets.forEach(
                (start, counts) -> {
                    LocalDate day = LocalDate.ofInstant(Instant.ofEpochMilli(start), zone);
                    long[] sum = days.computeIfAbsent(day, d -> new long[3]);
                    for (int i = 0; i < 3; i++) {
                        sum[i] += counts[i];
                    }
                });

        List<DailyEngagement> timeline = new ArrayList<>(days.size());
        days.forEach(
                (day, n) -> {
                    if (n[0] + n[1] + n[2] > 0) {
                        timeline.add(new DailyEngagement(day, n[0], n[1], n[2]));
                    }
                });
        return timeline;
    }
}
