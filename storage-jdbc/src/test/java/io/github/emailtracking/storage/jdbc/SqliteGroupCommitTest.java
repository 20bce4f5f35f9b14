package io.github.emailtracking.storage.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteGroupCommitTest extends GroupCommitBehaviour {

    @TempDir Path folder;

    @Override
    String newDatabaseUrl() {
        return "jdbc:sqlite:" + folder.resolve("email-tracking.db");
    }
}
