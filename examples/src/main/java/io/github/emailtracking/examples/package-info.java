/**
 * Runnable examples: {@link io.github.emailtracking.examples.StandaloneServer} serves every route
 * on Jetty with the embedded SQLite store, and {@link
 * io.github.emailtracking.examples.MailerExample} registers a campaign the way a Java mailer does.
 */
package io.github.emailtracking.examples;
