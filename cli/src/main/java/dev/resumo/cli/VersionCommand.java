package dev.resumo.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import jdk.incubator.vector.FloatVector;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** `resumo version`: the engine version, the JVM and the vector width the kernels will use. */
final class VersionCommand implements Subcommand {
    @Override
    public String name() {
        return "version";
    }

    @Override
    public String summary() {
        return "print the Resumo version, the Java runtime and the SIMD width in use";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) {
        out.println("resumo " + version());
        out.println("java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")");
        out.println("vector species " + FloatVector.SPECIES_PREFERRED + " ("
                + FloatVector.SPECIES_PREFERRED.length() + " floats)");
        out.println("processors " + Runtime.getRuntime().availableProcessors());
        return 0;
    }

    /** The version Maven filtered into version.properties at build time. */
    static String version() {
        try (InputStream in = VersionCommand.class.getResourceAsStream("version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
