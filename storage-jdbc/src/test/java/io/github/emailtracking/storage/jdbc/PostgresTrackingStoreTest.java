package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.spi.TrackingStore;
import io.github.emailtracking.api.spi.TrackingStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresTrackingStoreTest extends TrackingStoreContract {

    @RegisterExtension static final PostgresTestDatabases DATABASES = new PostgresTestDatabases();

    @Override
    protected TrackingStore newStore() {
        return JdbcTrackingStore.builder().jdbcUrl(DATABASES.create()).build();
    }

    @Override
    protected TrackingStore newStoreKeepingAtMost(int eventsPerEmail) {
        return JdbcTrackingStore.builder()
                .jdbcUrl(DATABASES.create())
                .maxEventsPerEmail(eventsPerEmail)
                .build();
    }
}
