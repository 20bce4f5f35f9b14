package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.spi.TrackingStore;
import io.github.emailtracking.api.spi.TrackingStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteTrackingStoreTest extends TrackingStoreContract {

    @TempDir Path folder;

    @Override
    protected TrackingStore newStore() {
        return JdbcTrackingStore.builder()
                .jdbcUrl("jdbc:sqlite:" + folder.resolve("email-tracking.db"))
                .build();
    }

    @Override
    protected TrackingStore newStoreKeepingAtMost(int eventsPerEmail) {
        return JdbcTrackingStore.builder()
                .jdbcUrl("jdbc:sqlite:" + folder.resolve("capped.db"))
                .maxEventsPerEmail(eventsPerEmail)
                .build();
    }
}
