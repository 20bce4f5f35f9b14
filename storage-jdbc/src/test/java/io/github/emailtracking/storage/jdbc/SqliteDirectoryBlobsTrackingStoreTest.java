package io.github.emailtracking.storage.jdbc;

import io.github.emailtracking.api.spi.TrackingStore;
import io.github.emailtracking.api.spi.TrackingStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract, with the bytes of attachments kept as files in a directory. */
class SqliteDirectoryBlobsTrackingStoreTest extends TrackingStoreContract {

    @TempDir Path folder;

    @Override
    protected TrackingStore newStore() {
        return JdbcTrackingStore.builder()
                .jdbcUrl("jdbc:sqlite:" + folder.resolve("email-tracking.db"))
                .attachmentBlobs(AttachmentBlobs.inDirectory(folder.resolve("attachments")))
                .build();
    }

    @Override
    protected TrackingStore newStoreKeepingAtMost(int eventsPerEmail) {
        return JdbcTrackingStore.builder()
                .jdbcUrl("jdbc:sqlite:" + folder.resolve("capped.db"))
                .attachmentBlobs(AttachmentBlobs.inDirectory(folder.resolve("capped-attachments")))
                .maxEventsPerEmail(eventsPerEmail)
                .build();
    }
}
