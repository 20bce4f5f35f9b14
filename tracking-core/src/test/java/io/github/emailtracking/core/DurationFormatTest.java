package io.github.emailtracking.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationFormatTest {

    @ParameterizedTest(name = "{0} seconds -> {1}")
    @CsvSource({
        "0, 0 seconds",
        "1, 1 second",
        "45, 45 seconds",
        "60, 1 minute",
        "61, 1 minute 1 second",
        "8100, 2 hours 15 minutes",
        "9900, 2 hours 45 minutes",
        "7230, 2 hours 30 seconds",
        "3600, 1 hour",
        "86400, 1 day",
        "273600, 3 days 4 hours",
        "273659, 3 days 4 hours",
        "-5, 0 seconds"
    })
    void format_keepsTheTwoLargestNonZeroUnits(long seconds, String expected) {
        assertThat(DurationFormat.format(Duration.ofSeconds(seconds))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource({"999, 0 seconds", "45999, 45 seconds"})
    void format_dropsFractionsOfASecond(long millis, String expected) {
        assertThat(DurationFormat.format(Duration.ofMillis(millis))).isEqualTo(expected);
    }
}
