package io.github.emailtracking.storage.jdbc;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

class SqliteKeptRowsTest extends KeptRowsBehaviour {

    @TempDir Path folder;

    private final AtomicInteger databases = new AtomicInteger();

    @Override
    String newDatabaseUrl() {
        return "jdbc:sqlite:" + folder.resolve("db-" + databases.incrementAndGet() + ".db");
    }
}
