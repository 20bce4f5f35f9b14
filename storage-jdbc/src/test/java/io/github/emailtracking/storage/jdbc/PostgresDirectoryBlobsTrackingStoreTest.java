package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.spi.TrackingStore;
import io.github.emailtracking.api.spi.TrackingStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The contract on PostgreSQL, with the bytes of attachments kept as files in a directory. */
class PostgresDirectoryBlobsTrackingStoreTest extends TrackingStoreContract {

    @RegisterExtension static final PostgresTestDatabases DATABASES = new PostgresTestDatabases();

    @TempDir Path folder;

    @Override
    protected TrackingStore newStore() {
        return JdbcTrackingStore.builder()
                .jdbcUrl(DATABASES.create())
                .attachmentBlobs(AttachmentBlobs.inDirectory(folder.resolve("attachments")))
                .build();
    }

    @Override
    protected TrackingStore newStoreKeepingAtMost(int eventsPerEmail) {
        return JdbcTrackingStore.builder()
                .jdbcUrl(DATABASES.create())
                .attachmentBlobs(AttachmentBlobs.inDirectory(folder.resolve("capped-attachments")))
                .maxEventsPerEmail(eventsPerEmail)
                .build();
    }
}
