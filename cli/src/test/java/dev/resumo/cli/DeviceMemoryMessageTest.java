package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.resumo.engine.backend.DeviceMemoryException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.cli.Options;
import org.junit.jupiter.api.Test;

/**
 * A device too small for the job (the OpenCL runtime's DeviceMemoryException, e.g. a logits
 * buffer over CL_DEVICE_MAX_MEM_ALLOC_SIZE) is one line naming the command and the runtime's
 * message, exit code 1: it used to fall into "internal error" with a stack trace.
 */
class DeviceMemoryMessageTest {
    @Test
    void deviceMemoryErrorsAreOneLineWithoutAStackTrace() {
        String message = "OpenCL device opencl:0:0 (Some GPU): cannot allocate a buffer of 1900.0 MiB: the device's largest "
                + "buffer (CL_DEVICE_MAX_MEM_ALLOC_SIZE) is 1024.0 MiB; use a smaller batch or sequence length, or another device";
        Subcommand tooBig = new Subcommand() {
            @Override public String name() { return "train"; }
            @Override public String summary() { return "a command whose buffer does not fit"; }
            @Override public Options options() { return new Options(); }
            @Override public int run(org.apache.commons.cli.CommandLine line, PrintStream out, PrintStream err) {
                throw new DeviceMemoryException(message, new RuntimeException("CL_INVALID_BUFFER_SIZE"));
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.execute(tooBig, null, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, code);
        assertEquals("resumo train: " + message + System.lineSeparator(), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aDeviceMemoryErrorWrappedByTheBatchPipelineIsOneLineToo() {
        String message = "OpenCL device opencl:0:0 (Some GPU): out of device memory";
        Subcommand batch = new Subcommand() {
            @Override public String name() { return "batch"; }
            @Override public String summary() { return "a pipeline whose worker ran out of device memory"; }
            @Override public Options options() { return new Options(); }
            @Override public int run(org.apache.commons.cli.CommandLine line, PrintStream out, PrintStream err) {
                // the shape of Beam's DirectRunner failure: PipelineExecutionException(UserCodeException(cause))
                throw new RuntimeException("org.apache.beam.sdk.Pipeline$PipelineExecutionException",
                        new RuntimeException("UserCodeException", new DeviceMemoryException(message, null)));
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.execute(batch, null, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, code);
        assertEquals("resumo batch: " + message + System.lineSeparator(), err.toString(StandardCharsets.UTF_8));
    }
}
