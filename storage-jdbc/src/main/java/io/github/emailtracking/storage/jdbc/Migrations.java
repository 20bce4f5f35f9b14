package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the database's schema to the version this store needs, or checks that the host did.
 *
 * <p>The scripts are plain SQL, one folder per dialect under {@code db/email-tracking/} in the jar,
 * so a host may apply them with its own tool. Applied ones are recorded in {@value #HISTORY_TABLE},
 * apart from any history of the host's own.
 */
final class Migrations {

    /** The table that records which scripts were applied. */
    static final String HISTORY_TABLE = "email_tracking_schema_history";

    /** Reads some columns of the history table, which a table of another program's would lack. */
    private static final String HISTORY_COLUMNS =
            "SELECT installed_rank, version, script, checksum, success FROM %s WHERE 1 = 0"
                    .formatted(HISTORY_TABLE);

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    /** Every table the store uses; each must be there when the host manages the schema. */
    private static final List<String> TABLES =
            List.of(
                    "et_campaign",
                    "et_campaign_totals",
                    "et_email",
                    "et_link",
                    "et_open",
                    "et_open_journal",
                    "et_click",
                    "et_reply",
                    "et_reminder",
                    "et_bounce",
                    "et_unsubscribe",
                    "et_campaign_link",
                    "et_campaign_bucket",
                    "et_attachment",
                    "et_attachment_chunk",
                    "et_setting");

    /** Columns that scripts after a table's own added to it, by table. */
    private static final Map<String, String> ADDED_COLUMNS =
            Map.of("et_email", "recipient_fold", "et_attachment_chunk", "tracking_id");

    /** The first object (table, index, view, sequence) named as the store's, {@code et_...}. */
    private static final String SQLITE_NAMESAKE =
            "SELECT name FROM sqlite_master WHERE name LIKE 'et\\_%' ESCAPE '\\'"
                    + " ORDER BY name LIMIT 1";

    /** The same on PostgreSQL, in the schema the tables would be made in, types included. */
    private static final String POSTGRESQL_NAMESAKE =
            """
            SELECT name FROM (
                SELECT relname AS name FROM pg_class
                 WHERE relnamespace = current_schema()::regnamespace
                UNION ALL
                SELECT typname FROM pg_type WHERE typnamespace = current_schema()::regnamespace
            ) AS objects
             WHERE name LIKE 'et\\_%' ORDER BY name LIMIT 1\
            """;

    /**
     * Whether the history table is in the schema the migration uses, the first of the search path
     * that exists: a table of that name found further along the path is another store's.
     */
    private static final String POSTGRESQL_HISTORY_HERE =
            "SELECT to_regclass(quote_ident(current_schema()) || '."
                    + HISTORY_TABLE
                    + "') IS NOT NULL";

    private static final String TEMPORARY_ALLOWED =
            "SELECT has_database_privilege(current_database(), 'TEMPORARY')";

    private Migrations() {}

    /**
     * Applies the scripts not applied yet. A database that already holds other tables is accepted:
     * the store's tables live beside the host's.
     *
     * @throws StoreException if a script could not be applied
     */
    static void apply(Database database) {
        requireSchema(database);
        requireOwnHistory(database);
        boolean historyBefore = hasHistoryTable(database);
        Optional<String> unrecorded = namesakeMadeElsewhere(database);
        if (unrecorded.isPresent()) {
            throw new StoreException(
                    "the database has a table or other object named as the store's, "
                            + unrecorded.get()
                            + ", but "
                            + HISTORY_TABLE
                            + " does not record making it, so another tool applied the scripts or"
                            + " another program uses the name: if a tool of yours applied them,"
                            + " build every store of this database with migrate(false) and apply"
                            + " later scripts with that tool; otherwise give the store a database"
                            + " of its own");
        }
        Flyway flyway =
                Flyway.configure(Migrations.class.getClassLoader())
                        .dataSource(database.migrations())
                        .locations("classpath:" + database.dialect().migrationFolder())
                        .table(HISTORY_TABLE)
                        .baselineOnMigrate(true)
                        .baselineVersion("0")
                        .load();
        try {
            migrate(flyway);
        } catch (FlywayException e) {
            if (historyBefore || !hasHistoryTable(database)) {
                throw migrationFailed(e, database.dialect());
            }
            // Another store made the history table after this one found none: both started at
            // once on a new database, and this one's Flyway took the other's empty table for a
            // schema to baseline. The other migrates under Flyway's lock; a second try waits for
            // that lock and finds the scripts applied.
            LOG.debug("Another store began migrating the database at once; trying again", e);
            try {
                migrate(flyway);
            } catch (FlywayException again) {
                again.addSuppressed(e);
                throw migrationFailed(again, database.dialect());
            }
        }
    }

    private static void migrate(Flyway flyway) {
        refuseNewerSchema(flyway);
        MigrateResult result = flyway.migrate();
        LOG.debug(
                "Schema at version {}; {} script(s) applied now",
                result.targetSchemaVersion,
                result.migrationsExecuted);
    }

    private static StoreException migrationFailed(FlywayException e, Dialect dialect) {
        // Flyway's own message is a report of many lines; the database's says what failed.
        SQLException refusal = databaseFailure(e);
        return new StoreException(
                "could not bring the database's email-tracking tables up to date: "
                        + whyMigrationFailed(e, refusal, dialect),
                refusal != null ? refusal : e);
    }

    /**
     * Fails when the history records a version newer than the scripts this library ships, applied
     * or baselined: a newer release migrated the database, and this one cannot know whether it
     * still reads and writes those tables right. Flyway would only log a warning and go on.
     */
    private static void refuseNewerSchema(Flyway flyway) {
        MigrationInfoService info = flyway.info();
        Optional<MigrationVersion> known =
                newest(
                        Arrays.stream(info.all())
                                .filter(migration -> migration.getState().isResolved())
                                .filter(
                                        migration ->
                                                migration.getState() != MigrationState.BASELINE));
        Optional<MigrationVersion> applied = newest(Arrays.stream(info.applied()));
        if (applied.isEmpty() || (known.isPresent() && applied.get().compareTo(known.get()) <= 0)) {
            return;
        }
        throw new StoreException(
                "the database's email-tracking tables are at version "
                        + applied.get().getVersion()
                        + ", made by a newer release of the library than this one, which knows"
                        + " versions up to "
                        + known.map(MigrationVersion::getVersion).orElse("none")
                        + ": start the newer release");
    }

    /** Returns the highest version of the migrations given, if any has a version. */
    private static Optional<MigrationVersion> newest(Stream<MigrationInfo> migrations) {
        return migrations
                .map(MigrationInfo::getVersion)
                .filter(Objects::nonNull)
                .max(Comparator.naturalOrder());
    }

    /**
     * Checks that every table of the store exists, with the columns later scripts added: for a host
     * that applies the scripts itself, and after a migration, which does not make again a table
     * dropped since its script ran.
     *
     * @param migrated whether the store migrated the database
     * @throws StoreException naming the first missing table or column and what to do
     */
    static void verify(Database database, boolean migrated) {
        database.inspect(
                "check the database's tables",
                connection -> {
                    Dialect dialect = database.dialect();
                    for (String table : TABLES) {
                        requirePresent(connection, "*", table, "table " + table, dialect, migrated);
                    }
                    for (Map.Entry<String, String> added : ADDED_COLUMNS.entrySet()) {
                        String column = added.getValue();
                        String table = added.getKey();
                        String what = "column " + column + " of " + table;
                        requirePresent(connection, column, table, what, dialect, migrated);
                    }
                    return null;
                });
    }

    /**
     * Fails now, saying why, when a PostgreSQL role may not create the temporary table that folding
     * the open journal moves opens through, rather than at every fold once opens arrive. SQLite
     * always may.
     */
    static void requireTemporaryTables(Database database) {
        if (database.dialect() != Dialect.POSTGRESQL) {
            return;
        }
        Object allowed = valueOf(database, "check the role's privileges", TEMPORARY_ALLOWED);
        if (!Boolean.TRUE.equals(allowed)) {
            throw new StoreException(
                    "the database role may not create temporary tables, which folding the open"
                            + " journal needs: grant it TEMPORARY on the database");
        }
    }

    /**
     * Fails, creating nothing, when PostgreSQL's {@code search_path} names no schema that exists:
     * the tables are made in the first one that does.
     */
    private static void requireSchema(Database database) {
        if (database.dialect() != Dialect.POSTGRESQL) {
            return;
        }
        if (valueOf(database, "check the database's schema", "SELECT current_schema()") == null) {
            throw new StoreException(
                    "the role's search_path names no schema that exists, so the store has nowhere"
                            + " to make its tables: create the schema, or set a search_path that"
                            + " names one");
        }
    }

    /**
     * Fails when a table has the history table's name but not its columns: another program uses the
     * name, and the migration would fail on it with a message about a missing column.
     */
    private static void requireOwnHistory(Database database) {
        boolean foreign =
                database.inspect(
                        "check the database's tables",
                        connection ->
                                exists(connection, HISTORY_TABLE)
                                        && !answers(connection, HISTORY_COLUMNS));
        if (foreign) {
            throw new StoreException(
                    "the database has a table named "
                            + HISTORY_TABLE
                            + " that is not the store's history of its scripts (it lacks the"
                            + " history's columns), so another program uses the name: give the"
                            + " store a database of its own (or on PostgreSQL a schema)");
        }
    }

    /** Returns the one value a query of one row and one column answers. */
    private static Object valueOf(Database database, String action, String query) {
        return database.inspect(
                action,
                connection -> {
                    try (Statement statement = connection.createStatement();
                            ResultSet row = statement.executeQuery(query)) {
                        row.next();
                        return row.getObject(1);
                    }
                });
    }

    /**
     * Returns the first object named as the store's ({@code et_...}) while the history table does
     * not exist: the migration would fail on it, or keep it as its own, after making the history
     * table in a database that is not the store's.
     */
    private static Optional<String> namesakeMadeElsewhere(Database database) {
        String query = database.dialect() == Dialect.SQLITE ? SQLITE_NAMESAKE : POSTGRESQL_NAMESAKE;
        return database.inspect(
                "check the database's tables",
                connection -> {
                    if (hasHistoryTable(connection, database.dialect())) {
                        return Optional.empty();
                    }
                    try (Statement statement = connection.createStatement();
                            ResultSet row = statement.executeQuery(query)) {
                        return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
                    }
                });
    }

    private static boolean hasHistoryTable(Database database) {
        return database.inspect(
                "check the database's tables",
                connection -> hasHistoryTable(connection, database.dialect()));
    }

    /**
     * Returns whether the history table is where the migration would make it. On PostgreSQL, fails
     * when it is only further along the search path: a schema that comes earlier was made since,
     * and the store would start afresh there, its events left behind.
     */
    private static boolean hasHistoryTable(Connection connection, Dialect dialect)
            throws SQLException {
        if (dialect == Dialect.SQLITE) {
            return exists(connection, HISTORY_TABLE);
        }
        boolean here;
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(POSTGRESQL_HISTORY_HERE)) {
            row.next();
            here = row.getBoolean(1);
        }
        if (!here && exists(connection, HISTORY_TABLE)) {
            throw new StoreException(
                    "the store's tables are in a schema further along the role's search_path than"
                            + " the first that exists, where they would be made anew (a schema"
                            + " named as the role comes first under the default search_path):"
                            + " name the store's schema first, with currentSchema in the URL or"
                            + " the role's search_path");
        }
        return here;
    }

    private static boolean exists(Connection connection, String table) throws SQLException {
        return answers(connection, "SELECT * FROM " + table + " WHERE 1 = 0");
    }

    /** Returns whether the database runs the query, false when it refuses it. */
    private static boolean answers(Connection connection, String query) throws SQLException {
        try (Statement probe = connection.createStatement()) {
            probe.executeQuery(query).close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Returns the deepest failure of the database under Flyway's, or null. */
    private static SQLException databaseFailure(FlywayException e) {
        SQLException database = null;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                database = sql;
            }
        }
        return database;
    }

    private static String whyMigrationFailed(
            FlywayException e, SQLException database, Dialect dialect) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException) {
                // Flyway holds one connection for its lock and history while it runs the scripts
                // on another.
                return "the data source gave no second connection in time; the migration takes"
                        + " two at once, so a pool needs at least two";
            }
        }
        if (database == null) {
            return "the migration failed (the cause says why)";
        }
        FailureKind kind = dialect.classify(database);
        return kind == FailureKind.UNREACHABLE || kind == FailureKind.LOGIN_REFUSED
                ? kind.reason() + ": " + database.getMessage()
                : "the database refused a script: " + database.getMessage();
    }

    private static void requirePresent(
            Connection connection,
            String columns,
            String table,
            String what,
            Dialect dialect,
            boolean migrated) {
        try (Statement probe = connection.createStatement()) {
            probe.executeQuery("SELECT " + columns + " FROM " + table + " WHERE 1 = 0").close();
        } catch (SQLException e) {
            // A table that another transaction locks, or a connection that broke, is no
            // missing table: only a statement the database refuses outright says that.
            FailureKind kind = dialect.classify(e);
            if (kind != FailureKind.OTHER) {
                throw new StoreException("could not check the " + what + ": " + kind.reason(), e);
            }
            throw missing(dialect, what, migrated, e);
        }
    }

    /** Returns the failure for a missing table or column, {@code what}, saying what to do. */
    private static StoreException missing(
            Dialect dialect, String what, boolean migrated, SQLException cause) {
        String remedy =
                migrated
                        ? ", though "
                                + HISTORY_TABLE
                                + " records its script as applied: it was dropped since, and only"
                                + " a backup brings it back"
                        : ": apply the scripts in "
                                + dialect.migrationFolder()
                                + "/ of the storage-jdbc jar, or build the store with"
                                + " migrate(true)";
        return new StoreException("the database has no " + what + remedy, cause);
    }
}
