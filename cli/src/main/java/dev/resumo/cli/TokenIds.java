package dev.resumo.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Token ids as users give them to {@code detokenize}: a comma-separated {@code --ids} list or a JSON
 * {@code "ids"} array. Only ASCII digits count (Integer.parseInt also takes fullwidth and other
 * Unicode digits, which would silently decode as a different-looking input); every id must be in the
 * vocabulary.
 */
final class TokenIds {
    private TokenIds() {}

    /** Parses {@code --ids}: no empty list, no empty element, ASCII digits with an optional minus. */
    static int[] parseList(String list, int vocabSize) {
        if (list.isBlank()) throw new UserError("--ids is empty: give comma-separated token ids, e.g. --ids 17,18");
        String[] parts = list.split(",", -1);
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].strip();
            if (p.isEmpty()) {
                throw new UserError("--ids: element " + (i + 1) + " of '" + list + "' is empty; give comma-separated token ids");
            }
            if (!isAsciiInteger(p)) throw new UserError("--ids: '" + p + "' is not an integer");
            out[i] = inVocabulary(p, vocabSize, "--ids");
        }
        return out;
    }

    /** Reads one {@code "ids"} array element. */
    static int element(JsonNode node, int index, int vocabSize, String where) {
        if (!node.isIntegralNumber()) throw new UserError(where + ": ids[" + index + "] is " + node + ", not an integer");
        return inVocabulary(node.bigIntegerValue().toString(), vocabSize, where);
    }

    private static boolean isAsciiInteger(String s) {
        int start = s.startsWith("-") ? 1 : 0;
        if (start == s.length()) return false;
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    private static int inVocabulary(String digits, int vocabSize, String where) {
        // Compare as a number of any size: 99999999999 is out of range, not "not an integer".
        java.math.BigInteger id = new java.math.BigInteger(digits);
        if (id.signum() < 0 || id.compareTo(java.math.BigInteger.valueOf(vocabSize)) >= 0) {
            throw new UserError(where + ": id " + id + " is out of range (the vocabulary has " + vocabSize
                    + " ids, 0.." + (vocabSize - 1) + ")");
        }
        return id.intValue();
    }
}
