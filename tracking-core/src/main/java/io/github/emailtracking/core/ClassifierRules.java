package io.github.emailtracking.core;

import io.github.emailtracking.core.Thresholds.Threshold;
import java.util.List;
import java.util.Map;

/**
 * The rules read from one source, in the order written, and the thresholds it sets.
 *
 * @param source the name of the source, for messages
 * @param rules the user agent and address rules, earliest first
 * @param thresholds the thresholds the source sets; the others keep their values
 */
record ClassifierRules(String source, List<ClassifierRule> rules, Map<Threshold, Long> thresholds) {

    /** Copies the collections. */
    ClassifierRules {
        rules = List.copyOf(rules);
        thresholds = Map.copyOf(thresholds);
    }
}
