package io.github.emailtracking.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done with one connection that may fail with an {@link SQLException}. */
@FunctionalInterface
interface SqlWork<T> {

    /** Does the work and returns its result. */
    T run(Connection connection) throws SQLException;
}
