package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.Classification;
import io.github.emailtracking.api.Verdict;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Locale;

/**
 * Binds and reads the values that JDBC handles awkwardly: nullable numbers and times, and the
 * classification of an event, kept as a verdict word and a reason.
 */
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

    /** Binds a classification to two parameters: its verdict's word, then its reason. */
    static void setClassification(PreparedStatement statement, int index, Classification value)
            throws SQLException {
        statement.setString(index, verdictWord(value));
        statement.setString(index + 1, value.reason());
    }

    /** Returns the word a classification's verdict is stored as. */
    static String verdictWord(Classification value) {
        return value.verdict().name().toLowerCase(Locale.ROOT);
    }

    /** Reads a classification from two columns: its verdict's word, then its reason. */
    static Classification classification(ResultSet row, int index) throws SQLException {
        Verdict verdict = Verdict.valueOf(row.getString(index).toUpperCase(Locale.ROOT));
        String reason = row.getString(index + 1);
        return verdict == Verdict.HUMAN && reason == null
                ? Classification.HUMAN
                : new Classification(verdict, reason);
    }
}
