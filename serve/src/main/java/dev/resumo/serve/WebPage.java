package dev.resumo.serve;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web page and the Content-Security-Policy it is served with. The page keeps its script and
 * style inline (one file, no external assets); the policy allows exactly those two blocks by their
 * SHA-256, lets the script call this server only, and refuses everything else: injected markup
 * could neither run nor load anything, nor could the page be framed or its form sent elsewhere.
 */
final class WebPage {
    private static final Pattern SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);
    private static final Pattern STYLE = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL);

    private final byte[] html;
    private final String policy;

    WebPage(byte[] html) {
        this.html = html.clone();
        String text = new String(html, StandardCharsets.UTF_8);
        this.policy = "default-src 'none'; script-src " + hashes(SCRIPT, text) + "; style-src " + hashes(STYLE, text)
                + "; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    String policy() {
        return policy;
    }

    HttpResponse response() {
        return new HttpResponse(200, "text/html; charset=utf-8", Map.of(HttpServerCore.CSP, policy), html);
    }

    private static String hashes(Pattern block, String page) {
        StringBuilder out = new StringBuilder();
        Matcher m = block.matcher(page);
        while (m.find()) {
            if (!out.isEmpty()) out.append(' ');
            out.append("'sha256-").append(Base64.getEncoder().encodeToString(sha256(m.group(1)))).append('\'');
        }
        if (out.isEmpty()) throw new IllegalStateException("the page has no inline " + block.pattern() + " block");
        return out.toString();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
