package io.github.emailtracking.storage.jdbc;

import java.util.regex.Pattern;

/** Makes JDBC URLs safe to show in messages and logs. */
final class JdbcUrls {

    private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

    private JdbcUrls() {}

    /** Returns the URL with the value of any password parameter hidden. */
    static String redact(String jdbcUrl) {
        return PASSWORD.matcher(jdbcUrl).replaceAll("$1***");
    }
}
