package io.github.emailtracking.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.MalformedInputException;
import java.util.Objects;

/**
 * Reads UTF-32 text strictly: a unit that is no Unicode scalar value, past U+10FFFF or in the range
 * of surrogates, or a last unit cut short, fails the read with a {@link MalformedInputException}.
 * Java's own decoder passes a surrogate's code point on as a character, so that two units written
 * as the halves of a pair would read as the character they would make in UTF-16.
 */
final class Utf32Reader extends Reader {

    private static final int UNIT = 4;

    private final InputStream in;
    private final boolean bigEndian;
    private final byte[] bytes = new byte[8192];
    private int start;
    private int end;
    private char pendingLowSurrogate;

    /** Reads {@code in}, whose byte order mark, if any, was read already. */
    Utf32Reader(InputStream in, boolean bigEndian) {
        this.in = in;
        this.bigEndian = bigEndian;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return 0;
        }
        int read = 0;
        if (pendingLowSurrogate != 0) {
            buffer[offset + read++] = pendingLowSurrogate;
            pendingLowSurrogate = 0;
        }
        // Once some characters are read, only what is buffered is decoded: no wait for more.
        while (read < length && (end - start >= UNIT || (read == 0 && filled()))) {
            int codePoint = nextCodePoint();
            if (Character.isBmpCodePoint(codePoint)) {
                buffer[offset + read++] = (char) codePoint;
                continue;
            }
            buffer[offset + read++] = Character.highSurrogate(codePoint);
            if (read < length) {
                buffer[offset + read++] = Character.lowSurrogate(codePoint);
            } else {
                pendingLowSurrogate = Character.lowSurrogate(codePoint);
            }
        }
        return read == 0 ? -1 : read;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Reads until a whole unit is buffered; returns false at the end of the text. */
    private boolean filled() throws IOException {
        System.arraycopy(bytes, start, bytes, 0, end - start);
        end -= start;
        start = 0;
        while (end < UNIT) {
            int got = in.read(bytes, end, bytes.length - end);
            if (got < 0) {
                if (end > 0) {
                    throw new MalformedInputException(end);
                }
                return false;
            }
            end += got;
        }
        return true;
    }

    private int nextCodePoint() throws MalformedInputException {
        int codePoint = 0;
        for (int i = 0; i < UNIT; i++) {
            int b = bytes[start + (bigEndian ? i : UNIT - 1 - i)] & 0xFF;
            codePoint = codePoint << 8 | b;
        }
        if (codePoint < 0
                || codePoint > Character.MAX_CODE_POINT
                || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
            throw new MalformedInputException(UNIT);
        }
        start += UNIT;
        return codePoint;
    }
}
