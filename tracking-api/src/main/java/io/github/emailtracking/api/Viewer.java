package io.github.emailtracking.api;

import java.util.Objects;

/**
 * Who is asking for a report, a status or a file. A viewer sees a campaign only within its own
 * tenant (when tenants are used), and there only the campaigns its subject owns, or every one when
 * it is an admin.
 *
 * @param subject the authenticated subject, such as a JWT's {@code sub}
 * @param tenant the viewer's organisation, or null when the host does not use tenants
 * @param admin whether the viewer sees every campaign of its tenant
 */
public record Viewer(String subject, String tenant, boolean admin) {

    /** Creates a viewer; {@code subject} is required. */
    public Viewer {
        Objects.requireNonNull(subject, "subject");
    }

    /** Returns a viewer without tenant that sees only what {@code subject} owns. */
    public static Viewer owner(String subject) {
        return new Viewer(subject, null, false);
    }

    /** Returns a viewer without tenant that sees every campaign without tenant. */
    public static Viewer admin(String subject) {
        return new Viewer(subject, null, true);
    }

    /** Returns whether this viewer may see {@code campaign} and everything in it. */
    public boolean canSee(Campaign campaign) {
        return Objects.equals(tenant, campaign.tenant())
                && (admin || subject.equals(campaign.owner()));
    }
}
