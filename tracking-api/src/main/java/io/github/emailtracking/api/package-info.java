/**
 * Public types of email-tracking: identifiers, campaigns, tracked emails, the events recipients
 * cause, the reports built from them, and the exceptions the library throws.
 *
 * <p>Every type here is an immutable value and safe to share between threads.
 */
package io.github.emailtracking.api;
