package io.github.emailtracking.benchmarks;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Base64;

/**
 * The baseline: answers every request with the open route's 43-byte GIF and its headers, and does
 * nothing else. The run checks that its answers match the open route's byte for byte.
 */
final class BarePixelServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** The 43 bytes of a 1x1 transparent GIF89a, as the open route sends them. */
    private static final byte[] GIF =
            Base64.getDecoder()
                    .decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("image/gif");
        response.setContentLength(GIF.length);
        response.setHeader(
                "Cache-Control", "no-store, no-cache, must-revalidate, private, max-age=0");
        response.setHeader("Pragma", "no-cache");
        response.setHeader("Expires", "0");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.getOutputStream().write(GIF);
    }
}
