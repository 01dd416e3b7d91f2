package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The closing lines of `bin/test` (bin/TestReportSummary.java). On a fresh clone `bin/test` skipped
 * 71 of 988 tests and said why nowhere a newcomer would look: Maven prints a count per module, and
 * the reasons were only in the Surefire XML — whose "message" attribute Surefire 3.5 leaves out.
 */
class BinTestSummaryTest {
    private static final Path ROOT = Path.of(System.getProperty("resumo.root", "..")).toAbsolutePath().normalize();
    private static final Path SUMMARY = ROOT.resolve("bin/TestReportSummary.java");

    /** A report as Surefire 3.5 writes one: the skip's reason is the text, first line, after the exception's name. */
    private static String report(String suite, int tests, int failures, int skipped, String... skipReasons) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"" + suite
                + "\" tests=\"" + tests + "\" errors=\"0\" skipped=\"" + skipped + "\" failures=\"" + failures + "\">\n");
        for (int i = 0; i < skipReasons.length; i++) {
            xml.append("  <testcase name=\"t").append(i).append("\" classname=\"").append(suite).append("\" time=\"0.0\">\n")
                    .append("    <skipped type=\"org.opentest4j.TestAbortedException\"><![CDATA[org.opentest4j.TestAbortedException: Assumption failed: ")
                    .append(skipReasons[i]).append("\n\tat org.junit.jupiter.api.Assumptions.throwAssumptionFailed(Assumptions.java:321)\n]]></skipped>\n")
                    .append("  </testcase>\n");
        }
        return xml.append("</testsuite>\n").toString();
    }

    private static String summarize(Path root, Path marker) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, SUMMARY.toString(), root.toString(), marker.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the summary did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void printsTheTotalsAndEachSkipReasonOfThisRunsReports(@TempDir Path tmp) throws Exception {
        assertTrue(Files.isRegularFile(SUMMARY), "bin/TestReportSummary.java not found under " + ROOT);
        Path marker = Files.createFile(tmp.resolve("start"));
        Files.setLastModifiedTime(marker, FileTime.from(Instant.now().minusSeconds(60)));
        Path engine = Files.createDirectories(tmp.resolve("engine/target/surefire-reports"));
        Path train = Files.createDirectories(tmp.resolve("train/target/surefire-reports"));
        String shared = "../shared golden model absent: skipped";
        String mlflow = "MLFLOW_TRACKING_URI is not set: these tests need a real MLflow server";
        Files.writeString(engine.resolve("TEST-a.EngineTest.xml"), report("a.EngineTest", 5, 0, 2, shared, shared));
        Files.writeString(train.resolve("TEST-b.TrainTest.xml"), report("b.TrainTest", 4, 1, 1, mlflow));
        // A report left by an earlier run (older than the marker): not this run's, not counted.
        Path stale = train.resolve("TEST-c.OldTest.xml");
        Files.writeString(stale, report("c.OldTest", 7, 0, 1, "an old reason"));
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(3600)));

        List<String> lines = summarize(tmp, marker).lines().toList();
        // 9 tests, 1 failed, 3 skipped → 5 passed.
        assertEquals("bin/test: 9 tests: 5 passed, 1 failed, 3 skipped", lines.getFirst());
        assertTrue(lines.stream().anyMatch(l -> l.strip().equals("2  " + shared)), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.strip().equals("1  " + mlflow)), String.join("\n", lines));
        assertFalse(String.join("\n", lines).contains("an old reason"), String.join("\n", lines));
    }

    @Test
    void saysSoWhenNoReportWasWritten(@TempDir Path tmp) throws Exception {
        assertTrue(Files.isRegularFile(SUMMARY), "bin/TestReportSummary.java not found under " + ROOT);
        Path marker = Files.createFile(tmp.resolve("start"));
        String out = summarize(tmp, marker);
        assertTrue(out.startsWith("bin/test: no test reports were written"), out);
    }

    @Test
    void binTestPrintsTheSummaryAfterMaven() throws Exception {
        String script = Files.readString(ROOT.resolve("bin/test"));
        assertFalse(script.contains("exec mvn"), "bin/test must outlive Maven to print the summary");
        assertTrue(script.contains("bin/TestReportSummary.java"), script);
    }
}
