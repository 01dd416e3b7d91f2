package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * summarize, eval and batch take the same generation flags (GenerationFlags) and refuse a bad
 * value in the same one line naming the flag. That the flags change the summaries the same way
 * everywhere is SameSummaryEverywhereTest's.
 */
class GenerationFlagsEverywhereTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyGeneratingCommandHasEveryGenerationFlag() {
        Options generation = new Options();
        GenerationFlags.add(generation);
        assertEquals(13, generation.getOptions().size(), "transformers' generate() settings Resumo implements");
        for (Subcommand c : List.of(new SummarizeCommand(), new EvalCommand(), new BatchCommand())) {
            for (Option flag : generation.getOptions()) {
                Option theirs = c.options().getOption(flag.getLongOpt());
                assertNotNull(theirs, c.name() + " --" + flag.getLongOpt());
                assertEquals(flag.getDescription(), theirs.getDescription(), c.name() + " --" + flag.getLongOpt() + ": the one definition");
            }
        }
    }

    /** Each bad value: the flags, then the message the command ends with (after "resumo CMD: "). */
    private static final List<String[]> BAD = List.of(
            new String[] {"--temperature 0", "--temperature: must be > 0, got 0.0"},
            new String[] {"--top-p 1.5", "--top-p: must be in (0, 1], got 1.5"},
            new String[] {"--top-k -1", "--top-k: must be ≥ 0, got -1"},
            new String[] {"--seed 1.5", "--seed: expected an integer, got '1.5'"},
            new String[] {"--early-stopping maybe", "--early-stopping: expected true, false or never, got \"maybe\""},
            new String[] {"--do-sample maybe", "--do-sample: expected true or false (or nothing, meaning true), got \"maybe\""},
            new String[] {"--min-new-tokens 9 --max-new-tokens 4", "--min-new-tokens: must be in [0, max_new_tokens=4], got 9"},
            new String[] {"--length-penalty nan", "--length-penalty: expected a number, got 'nan'"});

    @Test
    void badValuesAreOneLineNamingTheFlagInEveryCommand(@TempDir Path dir) throws Exception {
        Path model = TinyRandomModel.create(dir);
        Path input = dir.resolve("in.jsonl");
        Files.writeString(input, "{\"id\": \"a\", \"text\": \"Chove em Lisboa.\", \"summary\": \"Chuva.\", \"split\": \"test\"}\n");
        for (String[] bad : BAD) {
            List<List<String>> commands = List.of(
                    List.of("summarize", "--model", model.toString(), "--text", "Chove em Lisboa."),
                    List.of("eval", "--model", model.toString(), "--dataset", input.toString()),
                    List.of("batch", "--model", model.toString(), "--input", input.toString(), "--output", dir.resolve("out").toString()));
            for (List<String> command : commands) {
                List<String> args = new ArrayList<>(command);
                args.addAll(List.of(bad[0].split(" ")));
                CliRun r = CliRun.run(args.toArray(String[]::new));
                assertEquals(2, r.code(), args + ": " + r.err());
                // eval reports the dataset it read on the line before; the error is one line, the last.
                List<String> lines = r.err().strip().lines().toList();
                assertEquals("resumo " + command.get(0) + ": " + bad[1], lines.get(lines.size() - 1), args.toString());
                assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
            }
        }
    }

    /** eval samples with --do-sample: the same seed gives the same predictions, another seed or greedy others. */
    @Test
    void evalSamplesDeterministicallyPerSeed(@TempDir Path dir) throws Exception {
        Path model = TinyRandomModel.create(dir);
        Path input = dir.resolve("in.jsonl");
        StringBuilder rows = new StringBuilder();
        for (String text : List.of("O governo anunciou ontem um plano para a economia.", "Chove em Lisboa.", "A seleção venceu.")) {
            rows.append(JSON.createObjectNode().put("text", text).put("summary", "x").put("split", "test")).append('\n');
        }
        Files.writeString(input, rows);
        List<String> seed1 = eval(model, input, dir.resolve("s1.jsonl"), "--do-sample", "--seed", "1", "--top-k", "0");
        assertEquals(seed1, eval(model, input, dir.resolve("s1-again.jsonl"), "--do-sample", "--seed", "1", "--top-k", "0"),
                "one seed, one set of predictions");
        assertNotEquals(seed1, eval(model, input, dir.resolve("s2.jsonl"), "--do-sample", "--seed", "2", "--top-k", "0"), "another seed");
        assertNotEquals(seed1, eval(model, input, dir.resolve("greedy.jsonl")), "greedy");
    }

    @Test
    void evalSaysWhenItsSeedNoLongerSetsTheBootstrap(@TempDir Path dir) throws Exception {
        Path model = TinyRandomModel.create(dir);
        Path input = dir.resolve("in.jsonl");
        Files.writeString(input, JSON.createObjectNode().put("text", "Chove em Lisboa.").put("summary", "x").put("split", "test") + "\n");
        String[] greedy = {"eval", "--model", model.toString(), "--dataset", input.toString(), "--max-new-tokens", "4", "--seed", "7"};
        CliRun r = CliRun.run(greedy);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("warning: --seed seeds sampling, which these settings do not use"), r.err());
        assertTrue(r.err().contains("--bootstrap-seed"), r.err());
        List<String> sampled = new ArrayList<>(List.of(greedy));
        sampled.addAll(List.of("--do-sample", "--top-k", "0"));
        CliRun s = CliRun.run(sampled.toArray(String[]::new));
        assertEquals(0, s.code(), s.err());
        assertTrue(!s.err().contains("warning: --seed"), "sampling uses the seed: no warning\n" + s.err());
    }

    private static List<String> eval(Path model, Path input, Path predictions, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("eval", "--model", model.toString(), "--dataset", input.toString(),
                "--max-new-tokens", "8", "--predictions", predictions.toString()));
        args.addAll(List.of(flags));
        CliRun r = CliRun.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), args + ": " + r.err());
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(predictions)) out.add(JSON.readTree(line).get("summary").asText());
        return out;
    }
}
