package dev.resumo.cli;

import dev.resumo.engine.Tensor;
import dev.resumo.engine.io.CheckpointFormatException;
import dev.resumo.engine.io.Dtype;
import dev.resumo.engine.io.Safetensors;
import dev.resumo.engine.io.TorchCheckpoint;
import dev.resumo.t5.ShardedCheckpoint;
import dev.resumo.t5.T5Checkpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * `resumo convert`: a PyTorch {@code pytorch_model.bin} (read without Python, pickle globals
 * allow-listed), a safetensors file, or the shards a {@code pytorch_model.bin.index.json} or
 * {@code model.safetensors.index.json} lists, written as one safetensors file transformers loads.
 */
final class ConvertCommand implements Subcommand {
    @Override
    public String name() {
        return "convert";
    }

    @Override
    public String summary() {
        return "convert pytorch_model.bin, safetensors or sharded weights to one safetensors file, f32 or bf16";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("input").hasArg().argName("FILE").required()
                .desc("pytorch_model.bin (torch.save zip), .safetensors file, or shard index (" + T5Checkpoint.TORCH_SHARD_INDEX
                        + ", " + T5Checkpoint.SHARD_INDEX + ") whose shards to read (required; no default)").get());
        o.addOption(Option.builder().longOpt("output").hasArg().argName("FILE").required()
                .desc("safetensors file to write (required; no default)").get());
        o.addOption(Option.builder().longOpt("dtype").hasArg().argName("f32|bf16")
                .desc("storage type of the output (default: f32)").get());
        o.addOption(Option.builder().longOpt("keep-tied")
                .desc("also write names tied to an earlier tensor, e.g. lm_head.weight = shared.weight (default: off,"
                        + " as transformers' save_pretrained)").get());
        o.addOption(Option.builder().longOpt("force")
                .desc("replace the output file if it exists (default: off)").get());
        return o;
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) {
        Path input = Path.of(line.getOptionValue("input"));
        Dtype dtype = dtype(line.getOptionValue("dtype", "f32"));
        if (Files.isDirectory(input)) {
            throw new UserError("--input " + input + ": is a directory; give its pytorch_model.bin, .safetensors file or"
                    + " shard index (*.index.json)");
        }
        if (!Files.isRegularFile(input)) throw new UserError("--input " + input + ": no such file");
        // The checks of every command's --output: a device, pipe or folder is refused (with --force,
        // a device such as /dev/full was replaced by a regular file), a symbolic link written through.
        Path output = OutputSink.checkedFile(line, "output", "input");

        Map<String, Tensor> tensors;
        Map<String, String> tied = Map.of();
        try {
            if (input.getFileName().toString().endsWith(".index.json")) {
                TorchCheckpoint.StateDict sd = shards(input);
                tensors = new LinkedHashMap<>(sd.tensors());
                tied = sd.aliases();
                if (!line.hasOption("keep-tied")) tensors.keySet().removeAll(tied.keySet());
            } else if (input.getFileName().toString().endsWith(".safetensors") || looksLikeSafetensors(input)) {
                tensors = Safetensors.readAll(input);
            } else {
                TorchCheckpoint.StateDict sd = TorchCheckpoint.read(input);
                tensors = new LinkedHashMap<>(sd.tensors());
                tied = sd.aliases();
                if (!line.hasOption("keep-tied")) tensors.keySet().removeAll(tied.keySet());
            }
            // Sorted by name, as safetensors' save_file orders a single-dtype file: same bytes as the Python path.
            Safetensors.write(output, new TreeMap<>(tensors), dtype, Safetensors.PYTORCH_METADATA);
        } catch (CheckpointFormatException | UncheckedIOException e) {
            throw new UserError(e.getMessage(), e);
        }
        long parameters = 0;
        for (Tensor t : tensors.values()) parameters += t.size();
        out.printf("wrote %d tensors (%,d values, %s) to %s%n", tensors.size(), parameters, dtype, line.getOptionValue("output"));
        if (!tied.isEmpty()) {
            out.println((line.hasOption("keep-tied") ? "kept" : "left out") + " tied names: " + tied);
        }
        return 0;
    }

    /** Every shard an index lists, as one state dict; a bad index or a missing shard is the user's to fix. */
    private static TorchCheckpoint.StateDict shards(Path index) {
        try {
            return ShardedCheckpoint.read(index);
        } catch (IllegalArgumentException e) {
            throw new UserError("--input " + e.getMessage(), e);
        }
    }

    private static Dtype dtype(String value) {
        Dtype d = Dtype.parseUserChoice(value);
        if (d != Dtype.F32 && d != Dtype.BF16) throw new UserError("--dtype " + value + ": must be f32 or bf16");
        return d;
    }

    /**
     * Whether a file is safetensors whatever its name: an 8-byte little-endian header length, then
     * the header's '{'. A torch.save zip starts "PK". A safetensors file renamed .bin was refused
     * as "not a PyTorch checkpoint" though it could be read.
     */
    static boolean looksLikeSafetensors(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(9);
            // JSON whitespace may come before the header's '{', as safetensors itself accepts
            if (head.length < 9 || "{ \t\n\r".indexOf(head[8]) < 0) return false;
            long length = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            return length > 1 && length <= Files.size(file) - 8;
        } catch (IOException e) {
            return false; // the reader chosen by the name reports what is wrong with the file
        }
    }
}
