package io.github.emailtracking.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.emailtracking.api.CampaignId;
import io.github.emailtracking.api.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

class SqliteStoreBehaviourTest extends JdbcStoreBehaviour {

    @TempDir Path folder;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "jdbc:sqlite::memory:",
                "jdbc:sqlite:",
                "jdbc:sqlite:file::memory:?cache=shared",
                "jdbc:sqlite:file:mem1?mode=memory&cache=shared",
                "jdbc:sqlite:file:mem2?cache=shared&MODE=Memory",
                "jdbc:sqlite:file:mem3?mode=memory#part",
                "jdbc:sqlite:file:mem4?mode=%6Demory",
                "jdbc:sqlite:file:/tmp/mem5.db?vfs=memdb",
                "jdbc:sqlite:file:%3Amemory%3A",
                "jdbc:sqlite:file:%00x.db",
                "jdbc:sqlite:file:mem6?mode=memory%00junk",
                "jdbc:sqlite:file:mem7?mode%00x=memory",
                "jdbc:sqlite:file:mem8?vfs=memdb%00",
                "jdbc:sqlite:file:mem9?vfs=memdb%00%zz",
                "jdbc:sqlite:file:mem10?mode=mem%6Fry%00%",
                "jdbc:sqlite:file:mem11?mode%00%zz=memory",
                "jdbc:sqlite: ",
                "jdbc:sqlite:\t"
            })
    void builder_inMemoryDatabase_isRefused(String url) {
        assertThatThrownBy(() -> JdbcTrackingStore.builder().jdbcUrl(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith(
                        "the store's connections would each see a database of their own");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "jdbc:sqlite:{folder}/kept.db ",
                "jdbc:sqlite: {folder}/kept.db",
                "jdbc:sqlite:file:{folder}/kept%FF.db"
            })
    void builder_pathTheDriverWouldReadAsAnotherFile_isRefused(String template) {
        String url = template.replace("{folder}", folder.toString());

        assertThatThrownBy(() -> JdbcTrackingStore.builder().jdbcUrl(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("jdbcUrl's file");
        assertThat(folder).isEmptyDirectory();
    }

    @ParameterizedTest
    @ValueSource(strings = {"#?mode=memory", "%00junk", "?cache=shared#vfs=memdb"})
    void build_fileUriWhoseMemoryWordsSQLiteDoesNotRead_opensTheFileItNames(String tail) {
        Path file = folder.resolve("kept.db");

        try (JdbcTrackingStore store =
                JdbcTrackingStore.builder().jdbcUrl("jdbc:sqlite:file:" + file + tail).build()) {
            store.saveCampaign(campaign("c1"));
        }

        assertThat(file).isRegularFile();
        try (JdbcTrackingStore reopened =
                JdbcTrackingStore.builder().jdbcUrl("jdbc:sqlite:" + file).build()) {
            assertThat(reopened.findCampaign(new CampaignId("c1"))).isPresent();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:sqlite::memory:", "jdbc:sqlite:"})
    void build_hostDataSourceOfAnInMemoryDatabase_isRefused(String url) {
        SQLiteDataSource host = new SQLiteDataSource();
        host.setUrl(url);

        assertThatThrownBy(() -> JdbcTrackingStore.builder().dataSource(host).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "dataSource must reach a SQLite database file, not "
                                + url
                                + ": the store's connections would each see a database of"
                                + " their own");
    }

    @Test
    void builder_settingTheDriverDoesNotKnow_isRefused_creatingNoFile() {
        Path file = folder.resolve("typo.db");

        assertThatThrownBy(
                        () ->
                                JdbcTrackingStore.builder()
                                        .jdbcUrl(
                                                "jdbc:sqlite:"
                                                        + file
                                                        + "?busytimeout=5000&BUSY_TIMEOUT=1&x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "jdbcUrl sets what the SQLite driver does not know, busytimeout, x,"
                                + " which it would make part of the file's name: correct the"
                                + " setting's name (such as busy_timeout) or leave it out");
        assertThat(folder).isEmptyDirectory();
    }

    @Test
    void build_onSomethingOtherThanAFile_isRefused() throws IOException {
        Path notAFile = Files.createDirectory(folder.resolve("a-folder.db"));

        for (String url : List.of("jdbc:sqlite:" + notAFile, "jdbc:sqlite:/dev/null")) {
            assertThatThrownBy(() -> JdbcTrackingStore.builder().jdbcUrl(url).build())
                    .isInstanceOf(StoreException.class)
                    .hasMessageEndingWith(
                            " is not a regular file, and SQLite keeps a database in files");
        }
        assertThat(folder.toFile().list()).containsExactly("a-folder.db");
        assertThat(notAFile).isEmptyDirectory();
    }

    @Test
    void build_withAFolderWhereSqliteKeepsItsLog_isRefusedNamingIt() throws IOException {
        Path file = folder.resolve("t.db");
        open("jdbc:sqlite:" + file).close();
        Files.deleteIfExists(folder.resolve("t.db-wal"));
        Files.createDirectory(folder.resolve("t.db-wal"));

        assertThatThrownBy(() -> open("jdbc:sqlite:" + file))
                .isInstanceOf(StoreException.class)
                .hasMessage(
                        "could not open the database: "
                                + folder.resolve("t.db-wal").toAbsolutePath()
                                + " is not a regular file, and SQLite keeps a database and its"
                                + " -wal file in files");
    }

    @Test
    void build_databaseOpenedReadOnly_isRefusedSayingTheStoreWouldKeepNothing() {
        Path file = folder.resolve("ro.db");
        try (JdbcTrackingStore store =
                JdbcTrackingStore.builder().jdbcUrl("jdbc:sqlite:" + file).build()) {
            store.saveCampaign(campaign("c1"));
        }
        // As a file that this process may only read opens: SQLITE_OPEN_READONLY.
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        SQLiteDataSource readOnly = new SQLiteDataSource(config);
        readOnly.setUrl("jdbc:sqlite:" + file);

        assertThatThrownBy(() -> JdbcTrackingStore.builder().dataSource(readOnly).build())
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith(
                        "could not write to the database, so the store would keep nothing");
    }

    @Test
    void write_onceTheDatabaseIsFull_failsSayingSo_andReadsStillAnswer() throws SQLException {
        Path file = folder.resolve("full.db");
        open("jdbc:sqlite:" + file).close();
        // A database that may not grow: SQLite fails a write that needs a page more with
        // SQLITE_FULL, as it does when the disk is full.
        SQLiteConfig config = new SQLiteConfig();
        config.setPragma(
                SQLiteConfig.Pragma.MAX_PAGE_COUNT,
                String.valueOf(count("jdbc:sqlite:" + file, "PRAGMA page_count")));
        SQLiteDataSource capped = new SQLiteDataSource(config);
        capped.setUrl("jdbc:sqlite:" + file);

        try (JdbcTrackingStore store = JdbcTrackingStore.builder().dataSource(capped).build()) {
            assertThatThrownBy(
                            () -> {
                                for (int i = 0; i < 100_000; i++) {
                                    store.saveCampaign(campaign("c" + i));
                                }
                            })
                    .isInstanceOf(StoreException.class)
                    .hasMessageEndingWith(
                            "the database's disk is full, or the database reached its size"
                                    + " limit; nothing was stored");
            assertThat(store.findCampaign(new CampaignId("c0"))).isPresent();
        }
    }

    @Test
    void build_fileWithPragmasInTheUrl_opensAndKeepsFullSync() throws SQLException {
        String url =
                "jdbc:sqlite:" + folder.resolve("p.db") + "?synchronous=OFF&journal_mode=MEMORY";

        try (JdbcTrackingStore store = JdbcTrackingStore.builder().jdbcUrl(url).build()) {
            store.saveCampaign(campaign("c1"));
        }

        Database database = Database.open(url, 1, Duration.ofSeconds(5), true);
        try (Connection connection = database.writeConnection();
                ResultSet sync = connection.createStatement().executeQuery("PRAGMA synchronous")) {
            sync.next();
            assertThat(sync.getInt(1)).isEqualTo(2);
        } finally {
            database.close();
        }
    }

    private final AtomicInteger databases = new AtomicInteger();

    @Override
    String newDatabaseUrl() {
        return "jdbc:sqlite:" + folder.resolve("db-" + databases.incrementAndGet() + ".db");
    }

    @Test
    void build_fileInMissingFolders_createsThem() {
        Path file = folder.resolve("a/b/c/email-tracking.db");

        open("jdbc:sqlite:" + file).close();

        assertThat(file).isRegularFile();
    }

    @Test
    void build_newFileInMissingFolders_isForThisUserOnly_withItsLogAndSharedMemory()
            throws IOException {
        Path file = folder.resolve("private/email-tracking.db");

        try (JdbcTrackingStore store = open("jdbc:sqlite:" + file)) {
            store.saveCampaign(campaign("c1"));

            assertThat(Files.getPosixFilePermissions(file.getParent()))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            for (String suffix : List.of("", "-wal", "-shm")) {
                Path made = Path.of(file + suffix);
                assertThat(Files.getPosixFilePermissions(made))
                        .as(made.toString())
                        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            }
        }
    }

    @Test
    void build_withoutMigrationsOnAMissingFile_failsCreatingNothing() {
        Path file = folder.resolve("missing/email-tracking.db");

        assertThatThrownBy(
                        () ->
                                JdbcTrackingStore.builder()
                                        .jdbcUrl("jdbc:sqlite:" + file)
                                        .migrate(false)
                                        .build())
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("the database file " + file + " does not exist")
                .hasMessageContaining("db/email-tracking/sqlite/")
                .hasMessageEndingWith("or build the store with migrate(true)");
        assertThat(file.getParent()).doesNotExist();
    }

    @Test
    void build_fileThatIsNoDatabase_failsSayingSo() throws IOException {
        Path file = Files.writeString(folder.resolve("notes.db"), "not a database, only text");

        assertThatThrownBy(() -> open("jdbc:sqlite:" + file))
                .isInstanceOf(StoreException.class)
                .hasMessage("could not open the database: the file is not a SQLite database");
    }

    @Test
    void build_folderThatCannotBeMade_failsNamingTheFile() throws IOException {
        Path blocker = Files.writeString(folder.resolve("a-file"), "");
        Path file = blocker.resolve("sub/tracking.db");

        assertThatThrownBy(() -> open("jdbc:sqlite:" + file))
                .isInstanceOf(StoreException.class)
                .hasMessage(
                        "could not open the database: the folder of "
                                + file
                                + " cannot be created");
    }

    @Test
    void build_fileThatCannotBeMadeInAFolderThatExists_failsNamingTheFileNotTheFolder() {
        Path file = folder.resolve("n".repeat(300) + ".db");

        assertThatThrownBy(() -> open("jdbc:sqlite:" + file))
                .isInstanceOf(StoreException.class)
                .hasMessage(
                        "could not open the database: the file "
                                + file
                                + " cannot be created in its folder: check that this process may"
                                + " write there, and that the file system takes the name");
    }

    @Test
    void write_afterTheFileWasDeleted_failsSayingSo_insteadOfWritingToTheDeletedFile()
            throws IOException {
        Path file = folder.resolve("deleted.db");
        try (JdbcTrackingStore store = open("jdbc:sqlite:" + file)) {
            store.saveCampaign(campaign("c1"));
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(Path.of(file + suffix));
            }

            assertThatThrownBy(() -> store.saveCampaign(campaign("c2")))
                    .isInstanceOf(StoreException.class)
                    .hasMessage(
                            "could not store the campaign: the database file was deleted or"
                                    + " replaced while the store ran, and nothing written to it"
                                    + " now would be read again: put the file back, from a backup"
                                    + " if need be, then restart the store, which on a missing"
                                    + " file starts a new, empty database; nothing was stored");
        }
    }

    @Test
    void write_afterAnotherFileTookItsPlace_fails() throws IOException {
        Path file = folder.resolve("replaced.db");
        Path other = folder.resolve("other.db");
        open("jdbc:sqlite:" + other).close();
        try (JdbcTrackingStore store = open("jdbc:sqlite:" + file)) {
            Files.move(other, file, StandardCopyOption.REPLACE_EXISTING);

            assertThatThrownBy(() -> store.saveCampaign(campaign("c1")))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("the database file was deleted or replaced");
        }
    }

    @Test
    void writerConnection_keepsMorePagesAndCheckpointsLessOftenThanReaders() throws SQLException {
        try (Database database = Database.open(newDatabaseUrl(), 1, Duration.ofSeconds(5), true)) {
            try (Connection writer = database.writeConnection()) {
                assertThat(pragma(writer, "cache_size")).isEqualTo(-Database.WRITER_CACHE_KIB);
                assertThat(pragma(writer, "wal_autocheckpoint"))
                        .isEqualTo(Database.WRITER_CHECKPOINT_PAGES);
            }
            long readerCache = database.read("read the cache size", c -> pragma(c, "cache_size"));
            assertThat(readerCache).isNotEqualTo(-Database.WRITER_CACHE_KIB);
        }
    }

    @Test
    void log_grownWhileAReaderHeldItsSnapshot_shrinksBackOnceTheReaderIsDone() throws Exception {
        Path file = folder.resolve("log.db");
        Path log = folder.resolve("log.db-wal");
        try (Database database =
                        Database.open("jdbc:sqlite:" + file, 1, Duration.ofSeconds(5), true);
                Connection reader = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            write(database, "CREATE TABLE filler (bytes BLOB)");
            reader.setAutoCommit(false);
            reader.createStatement().executeQuery("SELECT COUNT(*) FROM filler").close();

            // About 15,000 pages, more than the writer checkpoints at, while the reader holds the
            // log's start.
            for (int i = 0; i < 15; i++) {
                write(database, "INSERT INTO filler VALUES (zeroblob(4000000))");
            }
            long grown = Files.size(log);
            reader.commit();
            write(database, "DELETE FROM filler");
            write(database, "INSERT INTO filler VALUES (zeroblob(1))");

            assertThat(grown).isGreaterThan(Database.WRITER_LOG_LIMIT_BYTES + 10_000_000L);
            assertThat(Files.size(log)).isLessThanOrEqualTo(Database.WRITER_LOG_LIMIT_BYTES);
        }
    }

    private static void write(Database database, String sql) throws SQLException {
        try (Connection writer = database.writeConnection();
                var statement = writer.createStatement()) {
            writer.setAutoCommit(true);
            statement.execute(sql);
        }
    }

    private static long pragma(Connection connection, String name) throws SQLException {
        try (ResultSet value = connection.createStatement().executeQuery("PRAGMA " + name)) {
            value.next();
            return value.getLong(1);
        }
    }

    @Test
    void build_setsWriteAheadLogging() throws SQLException {
        String url = newDatabaseUrl();

        open(url).close();

        try (Connection connection = DriverManager.getConnection(url);
                ResultSet mode = connection.createStatement().executeQuery("PRAGMA journal_mode")) {
            mode.next();
            assertThat(mode.getString(1)).isEqualTo("wal");
        }
    }

    @Test
    void build_withAHostDataSource_detectsSqlite() throws Exception {
        SQLiteDataSource host = new SQLiteDataSource();
        host.setUrl(newDatabaseUrl());

        try (JdbcTrackingStore store = JdbcTrackingStore.builder().dataSource(host).build()) {
            store.saveCampaign(campaign("c1"));
            store.saveEmail(email(id("t1"), "c1"), Set.of());

            assertThat(store.findEmail(id("t1"))).isPresent();
        }
        assertThat(Files.size(Path.of(host.getUrl().substring("jdbc:sqlite:".length()))))
                .isPositive();
    }
}
