package dev.resumo.cli;

import dev.resumo.t5.hub.HubClient;
import dev.resumo.t5.hub.HubException;
import dev.resumo.t5.hub.ModelDownloader;
import dev.resumo.t5.hub.ModelLocator;
import dev.resumo.t5.hub.RepoId;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * `resumo fetch ORG/NAME`: downloads a model folder (config, weights, tokenizer) from the Hugging
 * Face hub into the local cache, resuming partial downloads and checking sizes and sha256.
 */
final class FetchCommand implements Subcommand {
    @Override
    public boolean takesArguments() {
        return true; // the repository id
    }

    /** `usage: resumo fetch [flags]` left out the repository id the command cannot run without. */
    @Override
    public String usage() {
        return "resumo fetch [flags] ORG/NAME";
    }

    @Override
    public String name() {
        return "fetch";
    }

    @Override
    public String summary() {
        return "download ORG/NAME from the Hugging Face hub (HF_ENDPOINT, HF_TOKEN) into the model cache";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("revision").hasArg().argName("REV")
                .desc("branch, tag or commit to fetch (default: " + ModelLocator.DEFAULT_REVISION + ")").get());
        o.addOption(Option.builder().longOpt("cache").hasArg().argName("DIR")
                .desc("cache folder (default: " + ModelDownloader.defaultCacheRoot() + ")").get());
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) throws IOException {
        List<String> args = line.getArgList();
        if (args.size() != 1) throw new UserError("give exactly one repository, e.g. `resumo fetch unicamp-dl/ptt5-base-portuguese-vocab`");
        String revision = line.getOptionValue("revision", ModelLocator.DEFAULT_REVISION);
        Path cache = line.hasOption("cache") ? Path.of(line.getOptionValue("cache")) : ModelDownloader.defaultCacheRoot();
        try {
            RepoId repo = RepoId.parse(args.getFirst());
            ModelDownloader downloader = new ModelDownloader(HubClient.fromEnvironment(System.getenv(), err), cache, err);
            Path dir = downloader.fetch(repo, revision);
            out.println(repo + "@" + revision + " is in " + dir);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                    out.printf("  %-26s %,d bytes%n", f.getFileName(), Files.size(f));
                }
            }
            return 0;
        } catch (IllegalArgumentException | HubException e) {
            throw new UserError(e.getMessage(), e);
        }
    }
}
