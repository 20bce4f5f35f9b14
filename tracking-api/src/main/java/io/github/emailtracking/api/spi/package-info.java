/**
 * The storage SPI: what a store must do for the tracker to work. A store only keeps and answers;
 * every rule about what an event means lives in the core.
 *
 * <p>The test-jar of this module holds {@code TrackingStoreContract}, the suite of tests every
 * store passes; a new store proves itself by running it.
 */
package io.github.emailtracking.api.spi;
