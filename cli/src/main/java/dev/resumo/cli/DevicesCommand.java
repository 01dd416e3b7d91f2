package dev.resumo.cli;

import dev.resumo.engine.opencl.DeviceInfo;
import dev.resumo.engine.opencl.OpenClDevices;
import dev.resumo.engine.opencl.OpenClUnavailableException;
import java.io.PrintStream;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** `resumo devices`: the compute devices --device can name (the CPU and every OpenCL device). */
final class DevicesCommand implements Subcommand {
    @Override
    public String name() {
        return "devices";
    }

    @Override
    public String summary() {
        return "list the compute devices (cpu and OpenCL platforms/devices) that --device can select";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public int run(CommandLine line, PrintStream out, PrintStream err) {
        out.printf("%-14s Java CPU kernels (Vector API), %d threads%n", "cpu", Runtime.getRuntime().availableProcessors());
        try {
            List<DeviceInfo> devices = OpenClDevices.list();
            if (devices.isEmpty()) out.println("(OpenCL loaded, but no platform lists a device)");
            for (DeviceInfo d : devices) out.println(d.describe());
        } catch (OpenClUnavailableException e) {
            out.println("(no OpenCL: " + e.getMessage() + ")");
        }
        return 0;
    }
}
