package dev.resumo.cli;

import dev.resumo.engine.backend.Backend;
import dev.resumo.engine.backend.DeviceSelector;
import dev.resumo.t5.DeviceModels;
import dev.resumo.t5.T5Model;
import java.io.PrintStream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;

/** The --device flag every compute command shares, and moving a model onto the chosen device. */
final class DeviceFlag {
    private DeviceFlag() {}

    static Option option() {
        return Option.builder().longOpt("device").hasArg().argName("DEVICE")
                .desc("where to compute: " + DeviceSelector.HELP + " (default: cpu)").get();
    }

    /** The backend the flag asks for, or null for the CPU; a bad value or missing device is a UserError. */
    static Backend backend(CommandLine line, PrintStream log) {
        try {
            return DeviceSelector.select(line.getOptionValue("device", "cpu"), log);
        } catch (IllegalArgumentException e) {
            throw new UserError("--device " + e.getMessage());
        }
    }

    /** The model with every parameter uploaded once to the backend (the model itself when null). */
    static T5Model onDevice(T5Model model, Backend backend) {
        return DeviceModels.onDevice(model, backend);
    }
}
