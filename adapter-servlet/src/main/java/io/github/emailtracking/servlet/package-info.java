/**
 * The Jakarta Servlet 6 adapter: {@link io.github.emailtracking.servlet.TrackingServlet} serves
 * every route of the tracker under whatever path the host mounts it, turning requests into calls of
 * the core and exceptions into status codes. It knows no SQL.
 */
package io.github.emailtracking.servlet;
