package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How bin/java-env's resumo_find_jdk picks the JDK the scripts run on. A newcomer whose JDK 25 came
 * from a package manager has its `java` on PATH and no JAVA_HOME; the scripts looked only at
 * JAVA_HOME and /usr/lib/jvm/temurin-25-jdk-amd64 and stopped with "JDK 25 not found".
 */
class JdkDiscoveryTest {
    private static final Path JAVA_ENV = Path.of("..", "bin", "java-env").toAbsolutePath().normalize();

    /** A stand-in JDK whose bin/java answers -XshowSettings:properties as a real one does (on stderr). */
    private static Path fakeJdk(Path dir, String version) throws Exception {
        Path java = Files.createDirectories(dir.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"    java.home = " + dir + "\" >&2\n"
                + "echo \"    java.specification.version = " + version + "\" >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /** Exit status of resumo_find_jdk, then JAVA_HOME after it. */
    private static String[] findJdk(String javaHome, Path pathDir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "source \"$0\"; resumo_find_jdk; echo \"$?\"; echo \"${JAVA_HOME:-}\"",
                JAVA_ENV.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("JAVA_HOME");
        if (javaHome != null) pb.environment().put("JAVA_HOME", javaHome);
        pb.environment().put("PATH", pathDir + ":/usr/bin:/bin");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "resumo_find_jdk did not finish");
        return out.split("\n");
    }

    @Test
    void aJdk25OnPathIsFoundWithoutJavaHome(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isRegularFile(JAVA_ENV), "bin/java-env not found at " + JAVA_ENV);
        Path jdk = fakeJdk(tmp.resolve("jdk-25"), "25");
        String[] r = findJdk(null, jdk.resolve("bin"));
        assertEquals("0", r[0], String.join("\n", r));
        assertEquals(jdk.toString(), r[1], "JAVA_HOME is the PATH java's java.home");
    }

    @Test
    void javaHomeComesBeforeThePathsJava(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isRegularFile(JAVA_ENV), "bin/java-env not found at " + JAVA_ENV);
        Path chosen = fakeJdk(tmp.resolve("chosen-25"), "25");
        Path onPath = fakeJdk(tmp.resolve("path-26"), "26");
        String[] r = findJdk(chosen.toString(), onPath.resolve("bin"));
        assertEquals("0", r[0], String.join("\n", r));
        assertEquals(chosen.toString(), r[1]);
    }
}
