/**
 * What a host that serves the tracking servlet from Jetty 12.1 may add to its server. Jetty is an
 * optional dependency of the adapter: only a host that uses these classes needs it.
 */
package io.github.emailtracking.servlet.jetty;
