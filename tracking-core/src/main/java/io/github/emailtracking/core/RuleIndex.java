package io.github.emailtracking.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rules that judge one kind of event, ready for lookups: user agent rules in a list tried in
 * order, address rules in an {@link AddressTable}. Of the rules that match, the earliest in the
 * classifier's order wins. Immutable and thread-safe.
 */
final class RuleIndex {

    private final ClassifierRule[] agentRules;
    private final int[] agentRanks;
    private final ClassifierRule[] addressRules;
    private final int[] addressRanks;
    private final AddressTable addresses;

    /** Indexes those of {@code rules} that judge {@code kind}; a rule's position is its rank. */
    RuleIndex(List<ClassifierRule> rules, EventKind kind) {
        List<Integer> agents = new ArrayList<>();
        List<Integer> ranges = new ArrayList<>();
        for (int rank = 0; rank < rules.size(); rank++) {
            ClassifierRule rule = rules.get(rank);
            if (rule.judges(kind)) {
                (rule.userAgent() != null ? agents : ranges).add(rank);
            }
        }
        this.agentRanks = agents.stream().mapToInt(Integer::intValue).toArray();
        this.agentRules = agents.stream().map(rules::get).toArray(ClassifierRule[]::new);
        this.addressRanks = ranges.stream().mapToInt(Integer::intValue).toArray();
        this.addressRules = ranges.stream().map(rules::get).toArray(ClassifierRule[]::new);
        this.addresses =
                new AddressTable(ranges.stream().map(rank -> rules.get(rank).addresses()).toList());
    }

    /** Returns the earliest rule matching the client, or null when none does. */
    ClassifierRule find(String userAgent, String ipAddress) {
        ClassifierRule found = null;
        int foundRank = Integer.MAX_VALUE;
        if (userAgent != null) {
            String lowerCase = userAgent.toLowerCase(Locale.ROOT);
            for (int i = 0; i < agentRules.length; i++) {
                if (agentRules[i].userAgent().matches(userAgent, lowerCase)) {
                    found = agentRules[i];
                    foundRank = agentRanks[i];
                    break;
                }
            }
        }

        IpAddress address = IpAddress.parse(ipAddress);
        int position = address == null ? -1 : addresses.find(address);
        if (position >= 0 && addressRanks[position] < foundRank) {
            found = addressRules[position];
        }
        return found;
    }
}
