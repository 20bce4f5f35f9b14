package io.github.emailtracking.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RatesTest {

    @ParameterizedTest(name = "{0} of {1} -> {2}")
    @CsvSource({
        "98, 150, 65.3",
        "45, 150, 30.0",
        "12, 150, 8.0",
        "1, 3, 33.3",
        "2, 3, 66.7",
        "1, 8, 12.5",
        "1, 16, 6.3",
        "150, 150, 100.0",
        "0, 150, 0.0"
    })
    void percent_roundsHalfUpToOneDecimal(long part, long whole, double expected) {
        assertThat(Rates.percent(part, whole)).isEqualTo(expected);
    }

    @Test
    void percent_ofNothingSent_isZeroNotNaN() {
        assertThat(Rates.percent(0, 0)).isEqualTo(0.0);
    }
}
