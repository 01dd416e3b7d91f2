// The closing lines of bin/test: how many tests passed, failed and were skipped, and why each
// skipped test was skipped — read from the Surefire reports this run wrote. Maven prints only a
// count per module ("Tests run: 218, ..., Skipped: 12"); the reasons ("../shared absent",
// "MLFLOW_TRACKING_URI is not set") were only inside target/surefire-reports/*.xml, so a newcomer
// whose `bin/test` skipped 71 of 988 tests on a fresh clone could not tell why.
//
// Run by bin/test with the JDK's source launcher (no build step, no Python):
//   java bin/TestReportSummary.java ROOT MARKER
// counts the reports ROOT/*/target/surefire-reports/TEST-*.xml modified after the file MARKER,
// so the reports left by an earlier run of other modules (`bin/test -pl engine`) are not counted.

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public class TestReportSummary {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java bin/TestReportSummary.java ROOT MARKER");
            System.exit(2);
        }
        Path root = Path.of(args[0]);
        FileTime since = Files.getLastModifiedTime(Path.of(args[1]));
        List<Path> reports;
        // ROOT/MODULE/target/surefire-reports/TEST-*.xml: depth 4, which keeps the walk out of node_modules.
        try (Stream<Path> files = Files.walk(root, 4)) {
            reports = files.filter(p -> p.getFileName().toString().startsWith("TEST-") && p.toString().endsWith(".xml")
                            && p.getParent().getFileName().toString().equals("surefire-reports"))
                    .filter(p -> newer(p, since))
                    .sorted().toList();
        }
        if (reports.isEmpty()) {
            System.out.println("bin/test: no test reports were written (the build stopped before any test ran, or tests were skipped)");
            return;
        }
        long tests = 0, failed = 0, skipped = 0;
        Map<String, Integer> reasons = new TreeMap<>();
        var factory = DocumentBuilderFactory.newInstance();
        for (Path report : reports) {
            Element suite = factory.newDocumentBuilder().parse(report.toFile()).getDocumentElement();
            tests += count(suite, "tests");
            failed += count(suite, "failures") + count(suite, "errors");
            skipped += count(suite, "skipped");
            NodeList skips = suite.getElementsByTagName("skipped");
            for (int i = 0; i < skips.getLength(); i++) reasons.merge(reason((Element) skips.item(i)), 1, Integer::sum);
        }
        System.out.printf("bin/test: %d tests: %d passed, %d failed, %d skipped%n", tests, tests - failed - skipped, failed, skipped);
        if (skipped == 0) return;
        System.out.println("skipped, by reason (README.md, \"The two commands\", says what each needs):");
        reasons.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> System.out.printf("  %3d  %s%n", e.getValue(), e.getKey()));
    }

    private static boolean newer(Path p, FileTime since) {
        try {
            return Files.getLastModifiedTime(p).compareTo(since) > 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static long count(Element suite, String attribute) {
        String value = suite.getAttribute(attribute);
        return value.isEmpty() ? 0 : Long.parseLong(value);
    }

    /**
     * The assumption's message. Surefire 3.5 leaves the element's "message" attribute out and writes
     * the exception with its stack trace as the text: its first line, less the exception's name.
     */
    private static String reason(Element skip) {
        String text = skip.getAttribute("message");
        if (text.isBlank()) text = skip.getTextContent().strip().lines().findFirst().orElse("");
        for (String prefix : List.of("org.opentest4j.TestAbortedException: ", "Assumption failed: ")) {
            if (text.startsWith(prefix)) text = text.substring(prefix.length());
        }
        return text.isBlank() ? "(no reason given)" : text;
    }
}
