package io.github.emailtracking.api;

import java.util.Objects;

/**
 * Who is asking for a report, a status or a file. A viewer sees the campaigns its subject owns, or
 * every campaign when it is an admin.
 *
 * @param subject the authenticated subject, such as a JWT's {@code sub}
 * @param admin whether the viewer may see every campaign
 */
public record Viewer(String subject, boolean admin) {

    /** Creates a viewer; {@code subject} is required. */
    public Viewer {
        Objects.requireNonNull(subject, "subject");
    }

    /** Returns a viewer that sees only what {@code subject} owns. */
    public static Viewer owner(String subject) {
        return new Viewer(subject, false);
    }

    /** Returns a viewer that sees every campaign. */
    public static Viewer admin(String subject) {
        return new Viewer(subject, true);
    }

    /** Returns whether this viewer may see {@code campaign} and everything in it. */
    public boolean canSee(Campaign campaign) {
        return admin || subject.equals(campaign.owner());
    }
}
