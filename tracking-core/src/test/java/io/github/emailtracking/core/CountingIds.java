package io.github.emailtracking.core;

import io.github.emailtracking.api.AttachmentId;
import io.github.emailtracking.api.CampaignId;
import io.github.emailtracking.api.TrackingId;
import java.util.concurrent.atomic.AtomicInteger;

/** Ids that count up, so tests know them in advance: t1, t2, c1, a1... */
final class CountingIds implements IdGenerator {

    private final AtomicInteger tracking = new AtomicInteger();
    private final AtomicInteger campaign = new AtomicInteger();
    private final AtomicInteger attachment = new AtomicInteger();

    @Override
    public TrackingId newTrackingId() {
        return new TrackingId("t" + tracking.incrementAndGet());
    }

    @Override
    public CampaignId newCampaignId() {
        return new CampaignId("c" + campaign.incrementAndGet());
    }

    @Override
    public AttachmentId newAttachmentId() {
        return new AttachmentId("a" + attachment.incrementAndGet());
    }
}
