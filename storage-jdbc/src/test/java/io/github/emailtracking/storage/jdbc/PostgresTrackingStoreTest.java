package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.spi.TrackingStore;
import io.github.emailtracking.api.spi.TrackingStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresTrackingStoreTest extends TrackingStoreContract {

    private static PostgresTestDatabases databases;

    @BeforeAll
    static void connectToServer() {
        databases = new PostgresTestDatabases();
    }

    @AfterAll
    static void dropDatabases() {
        databases.close();
    }

    @Override
    protected TrackingStore newStore() {
        return JdbcTrackingStore.builder().jdbcUrl(databases.create()).build();
    }

    @Override
    protected TrackingStore newStoreKeepingAtMost(int eventsPerEmail) {
        return JdbcTrackingStore.builder()
                .jdbcUrl(databases.create())
                .maxEventsPerEmail(eventsPerEmail)
                .build();
    }
}
