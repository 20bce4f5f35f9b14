package io.github.emailtracking.examples;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Answers every path outside the tracking routes, whatever the method, with the same JSON 404 the
 * routes use, instead of the container's HTML pages.
 */
final class NotFoundServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private static final byte[] BODY =
            ("{\"success\":false,\"message\":"
                            + "\"no route has this path; the routes are under /api/track\"}")
                    .getBytes(StandardCharsets.UTF_8);

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        response.setContentType("application/json;charset=utf-8");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(BODY.length);
        if (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null) {
            // The body is left unread, after which the container closes the connection: a client
            // that keeps connections open is told so.
            response.setHeader("Connection", "close");
        }
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(BODY);
        }
    }
}
