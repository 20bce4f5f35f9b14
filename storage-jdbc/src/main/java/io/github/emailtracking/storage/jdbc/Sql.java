package io.github.emailtracking.storage.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** Binds and reads the values that JDBC handles awkwardly: nullable numbers and times. */
final class Sql {

    private Sql() {}

    static void setNullableLong(PreparedStatement statement, int index, Long value)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    static Long nullableLong(ResultSet row, int index) throws SQLException {
        long value = row.getLong(index);
        return row.wasNull() ? null : value;
    }

    static Instant nullableInstant(ResultSet row, int index) throws SQLException {
        Long millis = nullableLong(row, index);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    static Instant instant(ResultSet row, int index) throws SQLException {
        return Instant.ofEpochMilli(row.getLong(index));
    }
}
