package io.github.emailtracking.storage.memory;

import io.github.emailtracking.api.CampaignTotals;
import io.github.emailtracking.api.LinkClicks;
import io.github.emailtracking.api.PersonTotals;
import io.github.emailtracking.api.spi.TimelineBuckets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The running figures of one shard of a campaign, or of a whole campaign once its shards are added
 * up, kept as events arrive so that reports never need the events themselves. A shard is guarded by
 * its own lock.
 */
final class CampaignAggregates {

    static final int OPENS = 0;
    static final int CLICKS = 1;
    static final int REPLIES = 2;

    private long sent;
    private long replied;
    private long bounced;
    private long unsubscribed;
    private long openEvents;
    private long clickEvents;
    private long machineOpens;
    private long machineClicks;
    final FirstTimes opened = new FirstTimes();
    final FirstTimes clicked = new FirstTimes();
    final FirstTimes personOpened = new FirstTimes();
    final FirstTimes personClicked = new FirstTimes();
    private final Map<Long, long[]> buckets = new TreeMap<>();
    private final Map<String, Long> linkClicks = new HashMap<>();
    private final Map<String, Integer> linkOwners = new HashMap<>();

    /** Counts an email as sent, and notes the links it registered. */
    void countSent(Set<String> links) {
        sent++;
        links.forEach(url -> linkOwners.merge(url, 1, Integer::sum));
    }

    /** Returns how many emails of this shard registered the link. */
    int owners(String url) {
        return linkOwners.getOrDefault(url, 0);
    }

    /** Forgets that an erased email of this shard registered the link. */
    void forgetOwner(String url) {
        linkOwners.merge(url, -1, (count, change) -> orNull(count + change));
    }

    /** Forgets the clicks of a link, which no email of the campaign registers any more. */
    void forgetClicks(String url) {
        linkClicks.remove(url);
    }

    /** Adds these figures to {@code sum}, the link owners excepted. */
    void addTo(CampaignAggregates sum) {
        sum.sent += sent;
        sum.replied += replied;
        sum.bounced += bounced;
        sum.unsubscribed += unsubscribed;
        sum.openEvents += openEvents;
        sum.clickEvents += clickEvents;
        sum.machineOpens += machineOpens;
        sum.machineClicks += machineClicks;
        opened.addTo(sum.opened);
        clicked.addTo(sum.clicked);
        personOpened.addTo(sum.personOpened);
        personClicked.addTo(sum.personClicked);
        buckets.forEach((start, counts) -> add(sum.buckets, start, counts));
        linkClicks.forEach((url, clicks) -> sum.linkClicks.merge(url, clicks, Long::sum));
    }

    void countOpen(Instant at, boolean byMachine) {
        openEvents++;
        machineOpens += byMachine ? 1 : 0;
        bucket(at)[OPENS]++;
    }

    void countClick(Instant at, String url, boolean byMachine) {
        clickEvents++;
        machineClicks += byMachine ? 1 : 0;
        bucket(at)[CLICKS]++;
        linkClicks.merge(url, 1L, Long::sum);
    }

    void countReply(Instant at, boolean first) {
        replied += first ? 1 : 0;
        bucket(at)[REPLIES]++;
    }

    void countBounced() {
        bounced++;
    }

    void countUnsubscribed() {
        unsubscribed++;
    }

    CampaignTotals snapshot(ZoneId zone, int topLinkLimit) {
        PersonTotals person =
                new PersonTotals(
                        personOpened.count(),
                        personClicked.count(),
                        personOpened.mean(),
                        personClicked.mean());
        return new CampaignTotals(
                sent,
                opened.count(),
                clicked.count(),
                replied,
                bounced,
                unsubscribed,
                opened.mean(),
                clicked.mean(),
                openEvents,
                clickEvents,
                person,
                machineOpens,
                machineClicks,
                topLinks(topLinkLimit),
                TimelineBuckets.days(buckets, zone));
    }

    private long[] bucket(Instant at) {
        return buckets.computeIfAbsent(TimelineBuckets.bucketStart(at), start -> new long[3]);
    }

    private static void add(Map<Long, long[]> buckets, long start, long[] counts) {
        long[] total = buckets.computeIfAbsent(start, key -> new long[counts.length]);
        for (int i = 0; i < counts.length; i++) {
            total[i] += counts[i];
        }
    }

    private List<LinkClicks> topLinks(int limit) {
        return linkClicks.entrySet().stream()
                .map(e -> new LinkClicks(e.getKey(), e.getValue()))
                .sorted(
                        Comparator.comparingLong(LinkClicks::clicks)
                                .reversed()
                                .thenComparing(LinkClicks::url, CampaignAggregates::byCodePoint))
                .limit(limit)
                .toList();
    }

    private static Integer orNull(int owners) {
        return owners == 0 ? null : owners;
    }

    /** Orders strings by Unicode code point, as databases compare UTF-8 bytes. */
    private static int byCodePoint(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
