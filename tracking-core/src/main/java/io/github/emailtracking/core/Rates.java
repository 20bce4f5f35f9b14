package io.github.emailtracking.core;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Percentages as reports show them. */
final class Rates {

    private Rates() {}

    /**
     * Returns {@code part} as a percentage of {@code whole}, rounded half up to one decimal: 98 of
     * 150 is 65.3. A whole of zero gives 0.0, not NaN.
     */
    static double percent(long part, long whole) {
        if (whole <= 0) {
            return 0.0;
        }
        return BigDecimal.valueOf(part)
                .multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(whole), 1, RoundingMode.HALF_UP)
                .doubleValue();
    }
}
