// The closing lines of bin/test: how many tests passed, failed and were skipped, and why each
// skipped test was skipped — read from the Surefire reports this run wrote. Maven prints only a
// count per module ("Tests run: 218, ..., Skipped: 12"); the reasons ("../shared absent",
// "MLFLOW_TRACKING_URI is not set") were only inside target/surefire-reports/*.xml, so a newcomer
// whose `bin/test` skipped 71 of 988 tests on a fresh clone could not tell why.
//
// Run by bin/test with the JDK's source launcher (no build step, no Python):
//   java bin/TestReportSummary.java ROOT MARKER [--ci]
// counts the reports ROOT/*/target/surefire-reports/TEST-*.xml modified after the file MARKER,
// so the reports left by an earlier run of other modules (`bin/test -pl engine`) are not counted.
// With --ci (.ci/run's closing line, over bin/test and the cluster runners' tests): prints
// "tests: P passed, F failed, S skipped" and exits 1 when no test ran, or (with CI=true) when any
// was skipped — in CI everything the tests need is installed, so a skip means a test silently
// stopped proving anything; each skipped test is named with its reason.

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public class TestReportSummary {
    public static void main(String[] args) throws Exception {
        boolean ci = args.length == 3 && args[2].equals("--ci");
        if (args.length != 2 && !ci) {
            System.err.println("usage: java bin/TestReportSummary.java ROOT MARKER [--ci]");
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
        if (reports.isEmpty() && !ci) {
            System.out.println("bin/test: no test reports were written (the build stopped before any test ran, or tests were skipped)");
            return;
        }
        long tests = 0, failed = 0, skipped = 0;
        Map<String, Integer> reasons = new TreeMap<>();
        List<String> skippedTests = new ArrayList<>();
        var factory = DocumentBuilderFactory.newInstance();
        for (Path report : reports) {
            Element suite = factory.newDocumentBuilder().parse(report.toFile()).getDocumentElement();
            tests += count(suite, "tests");
            failed += count(suite, "failures") + count(suite, "errors");
            skipped += count(suite, "skipped");
            NodeList skips = suite.getElementsByTagName("skipped");
            for (int i = 0; i < skips.getLength(); i++) {
                Element skip = (Element) skips.item(i);
                reasons.merge(reason(skip), 1, Integer::sum);
                Element testCase = (Element) skip.getParentNode();
                skippedTests.add(testCase.getAttribute("classname") + "." + testCase.getAttribute("name") + ": " + reason(skip));
            }
        }
        if (ci) {
            System.out.printf("tests: %d passed, %d failed, %d skipped%n", tests - failed - skipped, failed, skipped);
            if (tests == 0) {
                System.out.println("ci: ERROR no test ran");
                System.exit(1);
            }
            if (skipped > 0 && "true".equals(System.getenv("CI"))) {
                System.out.println("ci: ERROR tests were skipped in CI, where everything they need is installed:");
                skippedTests.forEach(line -> System.out.println("ci:   " + line));
                System.exit(1);
            }
            return;
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
