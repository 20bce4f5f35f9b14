/**
 * A store that keeps tracking data in SQLite or PostgreSQL, writing through one group-committing
 * writer and answering reports from aggregates kept beside the events.
 */
package io.github.emailtracking.storage.jdbc;
