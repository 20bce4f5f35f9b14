package io.github.emailtracking.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds which of a list of address ranges holds an address, earliest in the list first, without
 * walking the whole list: the ranges are grouped by prefix length, and each group is a sorted array
 * searched by halves. A lookup costs one binary search per distinct prefix length, so a host may
 * load a published list of many thousand ranges. Immutable and thread-safe.
 */
final class AddressTable {

    private static final Comparator<Entry> BY_PREFIX_THEN_POSITION =
            Comparator.comparing(Entry::high, Long::compareUnsigned)
                    .thenComparing(Entry::low, Long::compareUnsigned)
                    .thenComparingInt(Entry::position);

    private final Group[] groups;

    /** Builds the table; a range's position in {@code ranges} is its precedence. */
    AddressTable(List<Cidr> ranges) {
        Map<Integer, List<Entry>> byLength = new TreeMap<>();
        for (int i = 0; i < ranges.size(); i++) {
            Cidr range = ranges.get(i);
            byLength.computeIfAbsent(range.bits(), bits -> new ArrayList<>())
                    .add(new Entry(range.high(), range.low(), i));
        }
        this.groups =
                byLength.entrySet().stream()
                        .map(e -> Group.of(e.getKey(), e.getValue()))
                        .toArray(Group[]::new);
    }

    /**
     * Returns the position of the earliest range that holds {@code address}, or -1 when none does.
     */
    int find(IpAddress address) {
        int earliest = -1;
        for (Group group : groups) {
            int position = group.find(address);
            if (position >= 0 && (earliest < 0 || position < earliest)) {
                earliest = position;
            }
        }
        return earliest;
    }

    private record Entry(long high, long low, int position) {}

    /** The ranges of one prefix length, sorted, with the earliest kept for a repeated prefix. */
    private static final class Group {

        private final int bits;
        private final long[] highs;
        private final long[] lows;
        private final int[] positions;

        private Group(int bits, long[] highs, long[] lows, int[] positions) {
            this.bits = bits;
            this.highs = highs;
            this.lows = lows;
            this.positions = positions;
        }

        static Group of(int bits, List<Entry> entries) {
            List<Entry> sorted = new ArrayList<>(entries);
            sorted.sort(BY_PREFIX_THEN_POSITION);
            List<Entry> unique = new ArrayList<>();
            for (Entry entry : sorted) {
                Entry last = unique.isEmpty() ? null : unique.get(unique.size() - 1);
                if (last == null || last.high() != entry.high() || last.low() != entry.low()) {
                    unique.add(entry);
                }
            }
            return new Group(
                    bits,
                    unique.stream().mapToLong(Entry::high).toArray(),
                    unique.stream().mapToLong(Entry::low).toArray(),
                    unique.stream().mapToInt(Entry::position).toArray());
        }

        int find(IpAddress address) {
            long high = address.high() & Cidr.highMask(bits);
            long low = address.low() & Cidr.lowMask(bits);
            int from = 0;
            int to = highs.length - 1;
            while (from <= to) {
                int middle = (from + to) >>> 1;
                int order = Long.compareUnsigned(highs[middle], high);
                if (order == 0) {
                    order = Long.compareUnsigned(lows[middle], low);
                }
                if (order == 0) {
                    return positions[middle];
                }
                if (order < 0) {
                    from = middle + 1;
                } else {
                    to = middle - 1;
                }
            }
            return -1;
        }
    }
}
