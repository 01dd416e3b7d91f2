package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Options;
import org.junit.jupiter.api.Test;

/** A malformed --device value is named once, with what is expected, whether or not OpenCL is here. */
class DeviceFlagMessageTest {

    private static String error(String device) throws Exception {
        CommandLine line = new DefaultParser().parse(new Options().addOption(DeviceFlag.option()), new String[] {"--device", device});
        PrintStream log = new PrintStream(new ByteArrayOutputStream());
        return assertThrows(UserError.class, () -> DeviceFlag.backend(line, log)).getMessage();
    }

    @Test
    void aMalformedOpenClSpecIsNamedOnce() throws Exception {
        for (String bad : new String[] {"opencl:0", "opencl:a:b", "opencl:\uFF10:0", "opencl:0:0:0"}) {
            String msg = error(bad);
            assertTrue(msg.startsWith("--device '" + bad + "' is not opencl or opencl:PLATFORM:DEVICE"), msg);
            assertFalse(msg.contains("device device") || msg.contains("--device device"), msg);
        }
        String unknown = error("gpu");
        assertTrue(unknown.startsWith("--device 'gpu' is not one of cpu, opencl"), unknown);
    }
}
