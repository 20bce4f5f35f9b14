package io.github.emailtracking.storage.jdbc;

import java.time.Duration;

/**
 * How the writer queues and groups writes.
 *
 * @param queueCapacity how many writes may wait for the writer at once
 * @param maxBatchSize how many writes one transaction takes at most
 * @param maxBatchBytes how many bytes of attachment content one transaction takes, about
 * @param queueTimeout how long a caller waits for room in a full queue
 * @param writeTimeout how long a caller waits for its write to be committed
 */
record WriterSettings(
        int queueCapacity,
        int maxBatchSize,
        long maxBatchBytes,
        Duration queueTimeout,
        Duration writeTimeout) {}
