package io.github.emailtracking.storage.jdbc;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The deadlines of the callers who do not wait for their writes. Every write has the same timeout
 * and is watched as it is queued, so the deadlines come in the order they are due: one repeating
 * task walks them from the oldest, instead of a timer task per write, which every caller would have
 * to put in and take out of one locked heap.
 *
 * <p>A deadline is checked every twentieth of the timeout, at least every 100 ms, so it may pass
 * that much late. Thread-safe.
 */
final class Deadlines {

    /** The longest time between two checks. */
    static final Duration MAX_PERIOD = Duration.ofMillis(100);

    private final ScheduledExecutorService timer;
    private final long timeoutNanos;
    private final Queue<Watched<?>> watched = new ConcurrentLinkedQueue<>();

    /**
     * Starts checking the deadlines on {@code timer}, whose thread also fails the callers whose
     * deadline passed.
     */
    Deadlines(ScheduledExecutorService timer, Duration timeout) {
        this.timer = timer;
        this.timeoutNanos = timeout.toNanos();
        long period = Math.max(1, Math.min(timeoutNanos / 20, MAX_PERIOD.toNanos()));
        timer.scheduleWithFixedDelay(this::expireDue, period, period, TimeUnit.NANOSECONDS);
    }

    /**
     * Returns the outcome of a write just queued, which fails like {@link PendingWrite#await}: when
     * the write is still queued after the timeout, it is withdrawn and the outcome fails; when the
     * writer has it, the outcome fails if the commit is not confirmed within the timeout more.
     */
    <T> CompletableFuture<T> watch(PendingWrite<T> write) {
        CompletableFuture<T> answer = write.answer();
        watched.add(new Watched<>(write, answer, System.nanoTime() + timeoutNanos));
        return answer;
    }

    /** Forgets the answered writes from the oldest on, and expires those whose deadline passed. */
    private void expireDue() {
        long now = System.nanoTime();
        for (Watched<?> next = watched.peek(); next != null; next = watched.peek()) {
            boolean answered = next.answer().isDone();
            if (!answered && next.dueAt() - now > 0) {
                return;
            }
            watched.poll();
            if (!answered) {
                expire(next);
            }
        }
    }

    private <T> void expire(Watched<T> due) {
        if (due.write().withdraw()) {
            due.answer().completeExceptionally(due.write().withdrawn());
            return;
        }
        // The writer has it: rare, so a timer task of its own is cheap enough.
        timer.schedule(
                () -> due.answer().completeExceptionally(due.write().unconfirmed()),
                timeoutNanos,
                TimeUnit.NANOSECONDS);
    }

    private record Watched<T>(PendingWrite<T> write, CompletableFuture<T> answer, long dueAt) {}
}
