package io.github.emailtracking.api;

import java.util.Objects;

/**
 * How often one link of a campaign was followed.
 *
 * @param url the original link
 * @param clicks how many clicks it had, over all emails of the campaign
 */
public record LinkClicks(String url, long clicks) {

    /** Creates the row; {@code url} is required. */
    public LinkClicks {
        Objects.requireNonNull(url, "url");
    }
}
