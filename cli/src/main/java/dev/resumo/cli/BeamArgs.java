package dev.resumo.cli;

import dev.resumo.batch.BatchOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The Beam options a user writes after {@code --}, checked in words Beam does not use: Beam says
 * "expected one element but was: &lt;DirectRunner, FooRunner&gt;" for an option given twice and
 * "Cannot deserialize value of type `int` from String "abc"" without naming the option.
 */
final class BeamArgs {
    private BeamArgs() {}

    /** The name of a Beam option written "--name=value" or "--name", or null for anything else. */
    static String name(String arg) {
        if (!arg.startsWith("--") || arg.length() == 2) return null;
        int eq = arg.indexOf('=');
        return eq < 0 ? arg.substring(2) : arg.substring(2, eq);
    }

    /**
     * Refuses a word that is no option: Beam said "Argument 'corpus/b.jsonl' does not begin with '--'",
     * which does not tell the commonest cause, an unquoted --input glob the shell expanded into files
     * (the first file became --input, the others stray words).
     */
    static void refuseStrays(List<String> user) {
        List<String> strays = user.stream().filter(a -> !a.startsWith("--")).toList();
        if (strays.isEmpty()) return;
        throw new UserError("unexpected argument '" + strays.get(0) + "'" + (strays.size() > 1 ? " and " + (strays.size() - 1) + " more" : "")
                + ": Beam options go after -- as --name=value; if --input is a glob, quote it so the shell does not expand it"
                + " into files (--input 'corpus/*.jsonl')");
    }

    /**
     * Refuses a Beam option after {@code --} that sets what one of resumo batch's own flags sets
     * (--runner, --model, --numBeams, ...): given with the flag, two values and which one wins is
     * Beam's guess; given alone, it would skip the flag's checks. {@code generated} are the
     * options resumo batch wrote from its flags; the others of {@link BatchOptions} are flags not given.
     */
    static void refuseRepeats(List<String> generated, List<String> user) {
        Map<String, String> ours = new LinkedHashMap<>();
        for (String arg : generated) ours.put(name(arg), arg);
        for (String arg : user) {
            String n = name(arg);
            if (n == null || !(ours.containsKey(n) || FLAG_OPTIONS.contains(n))) continue;
            String flag = "--" + n.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
            if (ours.containsKey(n)) {
                throw new UserError("the Beam option " + arg + " after -- sets what resumo batch's " + flag + " sets ("
                        + ours.get(n) + "); give it once, as " + flag);
            }
            throw new UserError("the Beam option " + arg + " after -- sets what resumo batch's " + flag + " sets; give it as "
                    + flag + " (before --)");
        }
    }

    /** The Beam option names of {@link BatchOptions}, each set from a resumo batch flag. */
    private static final java.util.Set<String> FLAG_OPTIONS = java.util.Arrays.stream(BatchOptions.class.getDeclaredMethods())
            .map(java.lang.reflect.Method::getName)
            .filter(m -> m.startsWith("get") && m.length() > 3)
            .map(m -> Character.toLowerCase(m.charAt(3)) + m.substring(4))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    /**
     * Beam's parse error, with the option it is about when Beam's message does not say: each of
     * the user's options is parsed alone until one fails.
     */
    static String explain(IllegalArgumentException e, List<String> user) {
        String first = e.getMessage() == null ? "invalid Beam option" : e.getMessage().lines().findFirst().orElse("invalid Beam option");
        if (!first.startsWith("Cannot deserialize") && !first.startsWith("Cannot construct")) return first;
        for (String arg : user) {
            if (name(arg) == null) continue;
            try {
                PipelineOptionsFactory.fromArgs(arg).as(BatchOptions.class);
            } catch (IllegalArgumentException alone) {
                String why = first.replaceFirst("^Cannot deserialize value of type (`[^`]+`) from String (\"[^\"]*\").*$",
                        "$2 is not a valid $1");
                return "the Beam option " + arg + ": " + why;
            }
        }
        return first;
    }
}
