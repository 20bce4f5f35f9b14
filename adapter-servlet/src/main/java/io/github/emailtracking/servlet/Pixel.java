package io.github.emailtracking.servlet;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The open pixel: a 1x1 transparent GIF with headers that keep every cache from storing it. */
final class Pixel {

    /** The 43 bytes of a 1x1 transparent GIF89a. */
    static final byte[] GIF = {
        'G',
        'I',
        'F',
        '8',
        '9',
        'a',
        1,
        0,
        1,
        0,
        (byte) 0x80,
        0,
        0,
        0,
        0,
        0,
        (byte) 0xFF,
        (byte) 0xFF,
        (byte) 0xFF,
        '!',
        (byte) 0xF9,
        4,
        1,
        0,
        0,
        0,
        0,
        ',',
        0,
        0,
        0,
        0,
        1,
        0,
        1,
        0,
        0,
        2,
        2,
        'D',
        1,
        0,
        ';'
    };

    private Pixel() {}

    /** Sets the status and headers of a pixel answer, for GET and HEAD alike. */
    static void writeHeaders(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("image/gif");
        response.setContentLength(GIF.length);
        response.setHeader(
                "Cache-Control", "no-store, no-cache, must-revalidate, private, max-age=0");
        response.setHeader("Pragma", "no-cache");
        response.setHeader("Expires", "0");
        response.setHeader("X-Content-Type-Options", "nosniff");
    }

    /** Writes the whole pixel answer. */
    static void write(HttpServletResponse response) throws IOException {
        writeHeaders(response);
        response.getOutputStream().write(GIF);
    }
}
