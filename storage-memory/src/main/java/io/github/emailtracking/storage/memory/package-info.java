/**
 * A store that keeps everything in the memory of one process. It is the reference implementation of
 * the storage SPI: the simplest code that passes the contract suite.
 */
package io.github.emailtracking.storage.memory;
