package dev.resumo.train.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;

/**
 * Reads a byte stream line by line ('\n', "\r\n" or a lone '\r', as Python's universal newlines and
 * pandas read them: a file saved with classic Mac line ends is otherwise one long line) and decodes each line
 * strictly, so that one line with invalid bytes is flagged instead of silently turned into U+FFFD
 * (the line is still returned, decoded with replacements, for error messages).
 */
final class Lines {
    private final InputStream in;
    private final CharsetDecoder strict;
    private final Charset charset;
    private byte[] buf = new byte[8192];
    private int bufLen, bufPos;
    private byte[] line = new byte[1024];
    private long number;
    private boolean eof;
    private String text;
    private boolean badEncoding;
    /** The last line ended in '\r': a '\n' right after it belongs to that line end. */
    private boolean afterCr;

    Lines(InputStream in, Charset charset) {
        this.in = in;
        this.charset = charset;
        this.strict = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** Advances to the next line; false at end of input. */
    boolean next() throws IOException {
        if (eof) return false;
        int len = 0;
        boolean sawAny = false;
        while (true) {
            if (bufPos == bufLen) {
                bufLen = in.read(buf, 0, buf.length);
                bufPos = 0;
                if (bufLen <= 0) {
                    bufLen = 0;
                    eof = true;
                    if (!sawAny) return false;
                    break;
                }
            }
            byte b = buf[bufPos++];
            if (afterCr) {
                afterCr = false;
                if (b == '\n') continue;
            }
            sawAny = true;
            if (b == '\n') break;
            if (b == '\r') {
                afterCr = true;
                break;
            }
            if (len == line.length) line = Arrays.copyOf(line, len * 2);
            line[len++] = b;
        }
        number++;
        decode(len);
        return true;
    }

    private void decode(int len) {
        try {
            text = strict.reset().decode(ByteBuffer.wrap(line, 0, len)).toString();
            badEncoding = false;
        } catch (CharacterCodingException e) {
            text = new String(line, 0, len, charset);
            badEncoding = true;
        }
        if (number == 1 && text.startsWith("\uFEFF")) text = text.substring(1);
    }

    /** The current line's text (with U+FFFD where bytes were invalid). */
    String text() { return text; }

    /** 1-based number of the current line. */
    long number() { return number; }

    /** Whether the current line had bytes invalid in the charset. */
    boolean badEncoding() { return badEncoding; }
}
