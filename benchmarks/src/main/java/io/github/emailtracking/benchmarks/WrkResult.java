package io.github.emailtracking.benchmarks;

/**
 * What one wrk run measured.
 *
 * @param requestsPerSecond answers per second over the run, whatever their status
 * @param requests answers received
 * @param non2xx answers whose status was not 2xx or 3xx
 * @param socketErrors connections that failed, reads and writes that failed, and timeouts
 * @param p50 the median latency as wrk writes it, such as {@code 2.31ms}
 * @param p99 the 99th percentile latency
 */
record WrkResult(
        double requestsPerSecond,
        long requests,
        long non2xx,
        long socketErrors,
        String p50,
        String p99) {

    /** Returns whether every request was answered with a success. */
    boolean clean() {
        return non2xx == 0 && socketErrors == 0;
    }
}
