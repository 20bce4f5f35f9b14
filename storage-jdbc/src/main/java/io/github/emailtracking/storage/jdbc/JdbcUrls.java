package io.github.emailtracking.storage.jdbc;

import java.util.regex.Pattern;

/** Makes JDBC URLs safe to show in messages and logs. */
final class JdbcUrls {

    private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/:@]*:)[^/@]*@");

    private static final String POSTGRESQL_PREFIX = "jdbc:postgresql:";

    private JdbcUrls() {}

    /**
     * Returns whether a PostgreSQL URL names its database, as {@code jdbc:postgresql://host/name}
     * and {@code jdbc:postgresql:name} do; without one the driver connects to the database named
     * after the user, which nobody chose.
     */
    static boolean namesPostgresDatabase(String jdbcUrl) {
        String rest = jdbcUrl.substring(POSTGRESQL_PREFIX.length());
        int query = rest.indexOf('?');
        String path = query < 0 ? rest : rest.substring(0, query);
        if (path.startsWith("//")) {
            int slash = path.indexOf('/', 2);
            return slash >= 0 && slash + 1 < path.length();
        }
        return !path.isEmpty() && !path.equals("/");
    }

    /**
     * Returns the URL with any password hidden: the value of a password parameter, and the password
     * of a {@code //user:password@host} authority.
     */
    static String redact(String jdbcUrl) {
        String withoutParameter = PASSWORD.matcher(jdbcUrl).replaceAll("$1***");
        return USER_INFO_PASSWORD.matcher(withoutParameter).replaceAll("$1***@");
    }
}
