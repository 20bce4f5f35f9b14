package io.github.emailtracking.api.spi;

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
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A real store behind switches that make it fail or forget, as a broken database would, or answer
 * {@link #recordAsync} late, as a store that commits on a thread of its own does: for tests of what
 * the tracker and the adapters do when the store is down or slow.
 */
public final class FaultyStore implements TrackingStore {

    private final TrackingStore delegate;
    private volatile boolean failWrites;
    private volatile boolean failReads;
    private volatile boolean leaveWritesUnconfirmed;
    private volatile boolean forgetLinks;
    private volatile boolean breakWrites;
    private volatile boolean throwFromRecordAsync;
    // Null while asynchronous records are answered at once.
    private volatile CountDownLatch heldAnswers;
    private final AtomicInteger held = new AtomicInteger();

    /** Wraps {@code delegate}; every switch starts off. */
    public FaultyStore(TrackingStore delegate) {
        this.delegate = delegate;
    }

    /** Makes every write fail with {@link StoreException}, or work again. */
    public void failWrites(boolean fail) {
        this.failWrites = fail;
    }

    /**
     * Makes every write fail with a {@link StoreException} saying that the change may be stored, as
     * when the database does not confirm a commit, or work again.
     */
    public void leaveWritesUnconfirmed(boolean unconfirmed) {
        this.leaveWritesUnconfirmed = unconfirmed;
    }

    /** Makes every read fail with {@link StoreException}, or work again. */
    public void failReads(boolean fail) {
        this.failReads = fail;
    }

    /**
     * Makes every write fail with an {@link IllegalStateException}, as a store with a bug of its
     * own would, where the SPI asks for a {@link StoreException}; or work again.
     */
    public void breakWrites(boolean broken) {
        this.breakWrites = broken;
    }

    /**
     * Makes {@link #recordAsync} throw a {@link StoreException} at once, as a store whose queue is
     * full may, instead of returning a stage that fails; or answer as before.
     */
    public void throwFromRecordAsync(boolean throwAtOnce) {
        this.throwFromRecordAsync = throwAtOnce;
    }

    /** Makes the store answer that no link is registered, as if registrations were lost. */
    public void forgetLinks(boolean forget) {
        this.forgetLinks = forget;
    }

    @Override
    public void saveCampaign(Campaign campaign) {
        checkWrites();
        delegate.saveCampaign(campaign);
    }

    @Override
    public Optional<Campaign> findCampaign(CampaignId id) {
        checkReads();
        return delegate.findCampaign(id);
    }

    @Override
    public void saveEmail(TrackedEmail email, Set<String> links) {
        checkWrites();
        delegate.saveEmail(email, links);
    }

    @Override
    public Optional<TrackedEmail> findEmail(TrackingId id) {
        checkReads();
        return delegate.findEmail(id);
    }

    @Override
    public Optional<TrackedEmail> findEmailByMessageId(String messageId) {
        checkReads();
        return delegate.findEmailByMessageId(messageId);
    }

    @Override
    public boolean isLinkRegistered(TrackingId id, String url) {
        checkReads();
        return !forgetLinks && delegate.isLinkRegistered(id, url);
    }

    @Override
    public boolean record(TrackingEvent event) {
        checkWrites();
        return delegate.record(event);
    }

    /**
     * Makes {@link #recordAsync} hold each event until {@link #releaseAnswers}, then record it and
     * complete its stage on a thread of its own.
     */
    public void holdAnswers() {
        heldAnswers = new CountDownLatch(1);
    }

    /** Records the held events and answers them; later ones are answered at once again. */
    public void releaseAnswers() {
        CountDownLatch gate = heldAnswers;
        heldAnswers = null;
        if (gate != null) {
            gate.countDown();
        }
    }

    /** Returns how many asynchronous records wait for {@link #releaseAnswers} now. */
    public int heldCount() {
        return held.get();
    }

    @Override
    public CompletionStage<Boolean> recordAsync(TrackingEvent event) {
        if (throwFromRecordAsync) {
            throw new StoreException("the queue of writes is full");
        }
        CountDownLatch gate = heldAnswers;
        if (gate == null) {
            return TrackingStore.super.recordAsync(event);
        }
        held.incrementAndGet();
        return CompletableFuture.supplyAsync(
                () -> {
                    awaitUninterruptibly(gate);
                    held.decrementAndGet();
                    return record(event);
                },
                task -> {
                    Thread answer = new Thread(task, "faulty-store-answer");
                    answer.setDaemon(true);
                    answer.start();
                });
    }

    @Override
    public Optional<EmailStatus> status(TrackingId id, Page page) {
        checkReads();
        return delegate.status(id, page);
    }

    @Override
    public Optional<CampaignTotals> campaignTotals(CampaignId id, ZoneId zone, int topLinkLimit) {
        checkReads();
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
        checkReads();
        return delegate.findAttachment(id);
    }

    @Override
    public boolean copyAttachment(AttachmentId id, OutputStream out) throws IOException {
        checkReads();
        return delegate.copyAttachment(id, out);
    }

    @Override
    public int eraseRecipient(String recipientEmail) {
        checkWrites();
        return delegate.eraseRecipient(recipientEmail);
    }

    @Override
    public long deleteEventsBefore(Instant cutoff) {
        checkWrites();
        return delegate.deleteEventsBefore(cutoff);
    }

    @Override
    public String setting(String name, Supplier<String> initialValue) {
        checkReads();
        return delegate.setting(name, initialValue);
    }

    private void checkReads() {
        if (failReads) {
            throw new StoreException("the database is down");
        }
    }

    private void checkWrites() {
        if (breakWrites) {
            throw new IllegalStateException("a bug in the store");
        }
        if (failWrites) {
            throw new StoreException("the database is down");
        }
        if (leaveWritesUnconfirmed) {
            throw new StoreException("the database did not confirm the change", null, true);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch gate) {
        boolean interrupted = false;
        while (true) {
            try {
                gate.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
