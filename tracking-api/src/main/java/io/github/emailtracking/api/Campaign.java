package io.github.emailtracking.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A named group of emails that one owner sends and reads a report for.
 *
 * @param id the campaign's id
 * @param name the name the owner gave it
 * @param owner the subject that created it; only this subject (or an admin) sees it
 * @param tenant the organisation it belongs to, or null when the host does not use tenants; only
 *     viewers of the same tenant see it
 * @param createdAt when it was created
 */
public record Campaign(CampaignId id, String name, String owner, String tenant, Instant createdAt) {

    /** Longest campaign name accepted, in characters. */
    public static final int MAX_NAME_LENGTH = 200;

    /** Creates a campaign; every component but {@code tenant} is required. */
    public Campaign {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
