package dev.resumo.train.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a byte stream line by line ('\n', "\r\n" or a lone '\r', as Python's universal newlines and
 * pandas read them: a file saved with classic Mac line ends is otherwise one long line) and decodes each line
 * strictly, so that one line with invalid bytes is flagged instead of silently turned into U+FFFD
 * (the line is still returned, decoded with replacements, for error messages). Public so that the
 * CLI's line-oriented inputs (tokenize, detokenize) end their lines as the dataset readers do.
 */
public final class Lines {
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
    /** For a bad line: the first bad byte, its 0-based offset in the line, and whether line 1 opened with a UTF-16 BOM. */
    private int badByte, badOffset;
    private boolean utf16;

    public Lines(InputStream in, Charset charset) {
        this.in = in;
        this.charset = charset;
        this.strict = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** Advances to the next line; false at end of input. */
    public boolean next() throws IOException {
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
        ByteBuffer bytes = ByteBuffer.wrap(line, 0, len);
        CharBuffer chars = CharBuffer.allocate((int) Math.ceil(len * (double) strict.maxCharsPerByte()) + 1);
        CoderResult r = strict.reset().decode(bytes, chars, true);
        if (!r.isError()) r = strict.flush(chars);
        badEncoding = r.isError();
        if (badEncoding) {
            badOffset = bytes.position();
            badByte = line[badOffset] & 0xFF;
            text = new String(line, 0, len, charset);
        } else {
            text = chars.flip().toString();
        }
        if (number == 1 && text.startsWith("\uFEFF")) text = text.substring(1);
        utf16 = number == 1 && len >= 2 && ((line[0] & 0xFF) == 0xFF && (line[1] & 0xFF) == 0xFE || (line[0] & 0xFF) == 0xFE && (line[1] & 0xFF) == 0xFF);
    }

    /**
     * For a line with {@link #badEncoding()}: the first bad byte and what to do about it. Portuguese
     * data saved by Excel or older tools is mostly Windows-1252/Latin-1 ("ã" is one byte 0xE3), and
     * Excel's "Unicode text" is UTF-16: "invalid UTF-8" alone left the user to guess both.
     */
    public String encodingProblem() {
        if (utf16) return "the file is UTF-16, not UTF-8: it starts with a UTF-16 byte-order mark; save it as UTF-8";
        String problem = String.format("invalid %s: byte 0x%02X at byte %d of the line", charset.name(), badByte, badOffset + 1);
        if (!charset.equals(StandardCharsets.UTF_8) || badByte < 0x80) return problem;
        return problem + "; if the file is Latin-1 or Windows-1252, convert it: iconv -f windows-1252 -t utf-8 IN > OUT";
    }

    /** The current line's text (with U+FFFD where bytes were invalid). */
    public String text() { return text; }

    /** 1-based number of the current line. */
    public long number() { return number; }

    /** Whether the current line had bytes invalid in the charset. */
    public boolean badEncoding() { return badEncoding; }
}
