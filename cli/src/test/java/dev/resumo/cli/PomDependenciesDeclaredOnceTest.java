package dev.resumo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * No pom.xml declares a dependency twice in one {@code <dependencies>} list. bench/pom.xml listed
 * jackson-databind twice, and every `bin/test` on a fresh clone opened with nine lines of Maven
 * warnings ("Some problems were encountered while building the effective model ... must be unique
 * ... future Maven versions might no longer support building such malformed projects").
 */
class PomDependenciesDeclaredOnceTest {
    private static final Path ROOT = Path.of(System.getProperty("resumo.root", "..")).toAbsolutePath().normalize();

    @Test
    void everyDependencyListNamesEachArtifactOnce() throws Exception {
        List<Path> poms = new ArrayList<>(List.of(ROOT.resolve("pom.xml")));
        try (Stream<Path> dirs = Files.list(ROOT)) {
            dirs.map(d -> d.resolve("pom.xml")).filter(Files::isRegularFile).sorted().forEach(poms::add);
        }
        assertTrue(poms.size() > 2 && Files.isRegularFile(poms.getFirst()), "the module poms were not found under " + ROOT);
        List<String> duplicates = new ArrayList<>();
        for (Path pom : poms) duplicates.addAll(duplicatesIn(pom));
        assertEquals(List.of(), duplicates);
    }

    private static List<String> duplicatesIn(Path pom) throws Exception {
        List<String> found = new ArrayList<>();
        NodeList lists = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile())
                .getElementsByTagName("dependencies");
        for (int i = 0; i < lists.getLength(); i++) {
            // Maven's key: groupId:artifactId:type:classifier (type jar when absent).
            Set<String> seen = new HashSet<>();
            for (Node n = lists.item(i).getFirstChild(); n != null; n = n.getNextSibling()) {
                if (!(n instanceof Element dep) || !dep.getTagName().equals("dependency")) continue;
                String type = child(dep, "type");
                String key = child(dep, "groupId") + ":" + child(dep, "artifactId") + ":" + (type.isEmpty() ? "jar" : type)
                        + ":" + child(dep, "classifier");
                if (!seen.add(key)) found.add(ROOT.relativize(pom) + ": " + key + " declared twice");
            }
        }
        return found;
    }

    private static String child(Element e, String tag) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(tag)) return c.getTextContent().strip();
        }
        return "";
    }
}
