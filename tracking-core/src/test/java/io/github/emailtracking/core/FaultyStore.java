package io.github.emailtracking.core;

import io.github.emailtracking.api.AttachmentId;
import io.github.emailtracking.api.AttachmentInfo;
import io.github.emailtracking.api.Campaign;
import io.github.emailtracking.api.CampaignId;
import io.github.emailtracking.api.CampaignTotals;
import io.github.emailtracking.api.EmailStatus;
import io.github.emailtracking.api.Page;
import io.github.emailtracking.api.StoreException;
import io.github.emailtracking.api.TrackedEmail;
import io.github.emailtracking.api.TrackingEvent;
import io.github.emailtracking.api.TrackingId;
import io.github.emailtracking.api.spi.TrackingStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** A real store with switches that make it fail or forget, as a broken database would. */
final class FaultyStore implements TrackingStore {

    private final TrackingStore delegate;
    volatile boolean failWrites;
    volatile boolean forgetLinks;

    FaultyStore(TrackingStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public void saveCampaign(Campaign campaign) {
        checkWrites();
        delegate.saveCampaign(campaign);
    }

    @Override
    public Optional<Campaign> findCampaign(CampaignId id) {
        return delegate.findCampaign(id);
    }

    @Override
    public void saveEmail(TrackedEmail email, Set<String> links) {
        checkWrites();
        delegate.saveEmail(email, links);
    }

    @Override
    public Optional<TrackedEmail> findEmail(TrackingId id) {
        return delegate.findEmail(id);
    }

    @Override
    public boolean isLinkRegistered(TrackingId id, String url) {
        return !forgetLinks && delegate.isLinkRegistered(id, url);
    }

    @Override
    public boolean record(TrackingEvent event) {
        checkWrites();
        return delegate.record(event);
    }

    @Override
    public Optional<EmailStatus> status(TrackingId id, Page page) {
        return delegate.status(id, page);
    }

    @Override
    public Optional<CampaignTotals> campaignTotals(CampaignId id, ZoneId zone, int topLinkLimit) {
        return delegate.campaignTotals(id, zone, topLinkLimit);
    }

    @Override
    public AttachmentInfo saveAttachment(AttachmentInfo info, InputStream content)
            throws IOException {
        checkWrites();
        return delegate.saveAttachment(info, content);
    }

    @Override
    public Optional<AttachmentInfo> findAttachment(AttachmentId id) {
        return delegate.findAttachment(id);
    }

    @Override
    public boolean copyAttachment(AttachmentId id, OutputStream out) throws IOException {
        return delegate.copyAttachment(id, out);
    }

    @Override
    public String setting(String name, Supplier<String> initialValue) {
        return delegate.setting(name, initialValue);
    }

    private void checkWrites() {
        if (failWrites) {
            throw new StoreException("the database is down");
        }
    }
}
