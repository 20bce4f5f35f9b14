/**
 * The tracker service that adapters and Java mailers call: it registers campaigns and emails, signs
 * click links, makes HTML bodies track themselves, decides what each incoming event means, and
 * turns a store's aggregates into reports. It knows no web framework and no database.
 *
 * <p>Start with {@link io.github.emailtracking.core.EmailTracker#builder()}.
 */
package io.github.emailtracking.core;
