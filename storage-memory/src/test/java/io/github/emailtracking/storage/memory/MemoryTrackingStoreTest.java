package io.github.emailtracking.storage.memory;

import io.github.emailtracking.api.spi.TrackingStore;
import io.github.emailtracking.api.spi.TrackingStoreContract;

class MemoryTrackingStoreTest extends TrackingStoreContract {

    @Override
    protected TrackingStore newStore() {
        return new MemoryTrackingStore();
    }

    @Override
    protected TrackingStore newStoreKeepingAtMost(int eventsPerEmail) {
        return new MemoryTrackingStore(eventsPerEmail);
    }
}
