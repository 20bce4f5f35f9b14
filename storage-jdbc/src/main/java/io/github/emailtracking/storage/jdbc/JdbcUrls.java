package io.github.emailtracking.storage.jdbc;

import java.util.regex.Pattern;

/** Makes JDBC URLs safe to show in messages and logs. */
final class JdbcUrls {

    private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/:@]*:)[^/@]*@");

    private JdbcUrls() {}

    /**
     * Returns the URL with any password hidden: the value of a password parameter, and the password
     * of a {@code //user:password@host} authority.
     */
    static String redact(String jdbcUrl) {
        String withoutParameter = PASSWORD.matcher(jdbcUrl).replaceAll("$1***");
        return USER_INFO_PASSWORD.matcher(withoutParameter).replaceAll("$1***@");
    }
}
