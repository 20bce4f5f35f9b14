package io.github.emailtracking.core;

import io.github.emailtracking.api.Classification;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Scores the classifier's judgements of labelled traces as "made by a machine" against "made by a
 * person" (a proxy fetch for a reader is a person's), and writes the figures as a table.
 */
final class ClassifierScore {

    private final Map<Actor, ActorScore> byActor = new EnumMap<>(Actor.class);
    private int traces;
    private int machineJudgedMachine;
    private int machineJudgedPerson;
    private int personJudgedPerson;
    private int personJudgedMachine;

    /** Adds a trace and the judgement of each of its events, in the same order. */
    void add(Trace trace, List<Classification> judgements) {
        traces++;
        for (int i = 0; i < trace.events().size(); i++) {
            add(trace.events().get(i).actor(), judgements.get(i));
        }
    }

    /** Of the events judged a machine's, the share that a machine made. */
    double machinePrecision() {
        return share(machineJudgedMachine, machineJudgedMachine + personJudgedMachine);
    }

    /** Of the events a machine made, the share judged a machine's. */
    double machineRecall() {
        return share(machineJudgedMachine, machineJudgedMachine + machineJudgedPerson);
    }

    /** Of the events judged a person's, the share that a person made. */
    double personPrecision() {
        return share(personJudgedPerson, personJudgedPerson + machineJudgedPerson);
    }

    /** Of the events a person made, the share judged a person's. */
    double personRecall() {
        return share(personJudgedPerson, personJudgedPerson + personJudgedMachine);
    }

    /** The mean of the two classes' precision. */
    double overallPrecision() {
        return (machinePrecision() + personPrecision()) / 2;
    }

    /** The mean of the two classes' recall. */
    double overallRecall() {
        return (machineRecall() + personRecall()) / 2;
    }

    /** Returns the figures as a table, headed by {@code title}. */
    String table(String title) {
        StringBuilder table = new StringBuilder();
        int events = byActor.values().stream().mapToInt(score -> score.events).sum();
        table.append(
                String.format(
                        Locale.ROOT, "%s: %,d traces, %,d events%n%n", title, traces, events));
        table.append(
                String.format(
                        Locale.ROOT,
                        "%-26s %7s %7s %6s  %s%n",
                        "who made the event",
                        "events",
                        "right",
                        "share",
                        "judged as"));
        for (Map.Entry<Actor, ActorScore> entry : byActor.entrySet()) {
            ActorScore score = entry.getValue();
            table.append(
                    String.format(
                            Locale.ROOT,
                            "%-26s %7d %7d %6.3f  %s%n",
                            entry.getKey().label(),
                            score.events,
                            score.right,
                            share(score.right, score.events),
                            score.judgedAs()));
        }
        table.append(
                String.format(
                        Locale.ROOT,
                        "%n%-26s %9s %7s%n",
                        "machine-made vs person",
                        "precision",
                        "recall"));
        row(table, "machine-made", machinePrecision(), machineRecall());
        row(table, "person", personPrecision(), personRecall());
        row(table, "mean of both", overallPrecision(), overallRecall());
        return table.toString();
    }

    private void add(Actor actor, Classification judgement) {
        boolean judgedMachine = !judgement.verdict().isPerson();
        boolean right = judgedMachine == actor.isMachine();
        if (actor.isMachine()) {
            machineJudgedMachine += right ? 1 : 0;
            machineJudgedPerson += right ? 0 : 1;
        } else {
            personJudgedPerson += right ? 1 : 0;
            personJudgedMachine += right ? 0 : 1;
        }
        byActor.computeIfAbsent(actor, a -> new ActorScore()).add(judgement, right);
    }

    private static void row(StringBuilder table, String name, double precision, double recall) {
        table.append(String.format(Locale.ROOT, "%-26s %9.4f %7.4f%n", name, precision, recall));
    }

    private static double share(int part, int whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    /** The judgements of one actor's events. */
    private static final class ActorScore {

        private final Map<String, Integer> judgedAs = new TreeMap<>();
        private int events;
        private int right;

        void add(Classification judgement, boolean correct) {
            events++;
            right += correct ? 1 : 0;
            String verdict = judgement.verdict().name().toLowerCase(Locale.ROOT);
            String reason = judgement.reason() == null ? "" : " " + judgement.reason();
            judgedAs.merge(verdict + reason, 1, Integer::sum);
        }

        String judgedAs() {
            return judgedAs.entrySet().stream()
                    .map(entry -> entry.getKey() + " " + entry.getValue())
                    .collect(Collectors.joining(", "));
        }
    }
}
