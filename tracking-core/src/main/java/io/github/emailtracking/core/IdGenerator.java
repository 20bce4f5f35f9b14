package io.github.emailtracking.core;

import io.github.emailtracking.api.AttachmentId;
import io.github.emailtracking.api.CampaignId;
import io.github.emailtracking.api.TrackingId;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/**
 * Makes new ids. Tracking ids are unguessable, since knowing one is enough to record events for an
 * email; tests inject a generator that counts instead.
 *
 * <p>Implementations are thread-safe.
 */
public interface IdGenerator {

    /** Returns a tracking id that no email has yet. */
    TrackingId newTrackingId();

    /** Returns a campaign id that no campaign has yet. */
    CampaignId newCampaignId();

    /** Returns an attachment id that no attachment has yet. */
    AttachmentId newAttachmentId();

    /**
     * Returns the default generator: tracking and campaign ids of 128 random bits from {@link
     * SecureRandom}, written as 22 base64url characters, and random UUIDs for attachments.
     */
    static IdGenerator secureRandom() {
        return SecureRandomIds.INSTANCE;
    }
}

/** The default generator; one instance serves the whole process. */
final class SecureRandomIds implements IdGenerator {

    static final SecureRandomIds INSTANCE = new SecureRandomIds();

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random = new SecureRandom();

    private SecureRandomIds() {}

    @Override
    public TrackingId newTrackingId() {
        return new TrackingId(randomToken());
    }

    @Override
    public CampaignId newCampaignId() {
        return new CampaignId(randomToken());
    }

    @Override
    public AttachmentId newAttachmentId() {
        return new AttachmentId(UUID.randomUUID().toString());
    }

    private String randomToken() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }
}
