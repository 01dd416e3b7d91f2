package dev.resumo.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What survives a power cut, read from an strace log of a process ({@code strace -f -y}): the
 * rules a file system gives without ordering guarantees beyond POSIX (ALICE's model, "Application
 * Crash Vulnerabilities", OSDI 2014), for the paths under one folder.
 * <ul>
 * <li>a file's content is durable once an fsync/fdatasync of it returned after its last write;
 * <li>a name in a folder (a file created there, a folder made there, a rename into it) is durable
 *     once an fsync of that folder returned after the operation that made it;
 * <li>a path is durable when its content and its name are, and so is every folder above it that
 *     this process made.
 * </ul>
 * Folders that existed before the process count as durable. Events are in the order strace saw them
 * return ({@code <unfinished ...>} calls are joined with their {@code <... resumed>} line).
 */
final class StraceDurability {
    /** The syscalls {@link #read} understands; pass as {@code -e trace=...}. */
    static final String TRACED = "openat,open,creat,write,pwrite64,writev,pwritev,pwritev2,ftruncate,fallocate,"
            + "copy_file_range,sendfile,fsync,fdatasync,rename,renameat,renameat2,mkdir,mkdirat,unlink,unlinkat,rmdir";

    private static final Pattern LINE = Pattern.compile("^(\\d+)\\s+(.*)$");
    private static final Pattern CALL = Pattern.compile("^(\\w+)\\((.*)\\)\\s+=\\s+(-?\\d+)(<([^>]*)>)?.*$");
    private static final Pattern FD = Pattern.compile("^-?\\d+<([^>]*)>");
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final Path root;
    /** Per path: index of its last content change and of its last sync (files and folders alike). */
    private final Map<String, Integer> lastChange = new HashMap<>();
    private final Map<String, Integer> lastSync = new HashMap<>();
    /** Per path: index of the operation that gave it its name in its folder (create, mkdir, rename). */
    private final Map<String, Integer> named = new HashMap<>();
    private final List<String> events = new ArrayList<>();
    private int index;

    private StraceDurability(Path root) {
        this.root = root;
    }

    /** The log's events for paths under {@code root}, in order; {@code at} is called after each with its index and text. */
    static StraceDurability read(Path log, Path root, EventListener at) throws IOException {
        StraceDurability d = new StraceDurability(root.toAbsolutePath().normalize());
        Map<String, String> unfinished = new HashMap<>();
        for (String raw : Files.readAllLines(log)) {
            Matcher line = LINE.matcher(raw);
            if (!line.matches()) continue;
            String pid = line.group(1);
            String text = line.group(2);
            if (text.endsWith("<unfinished ...>")) {
                unfinished.put(pid, text.substring(0, text.length() - "<unfinished ...>".length()));
                continue;
            }
            if (text.startsWith("<... ")) {
                String start = unfinished.remove(pid);
                if (start == null) continue;
                text = start + text.substring(text.indexOf("resumed>") + "resumed>".length());
            }
            if (d.apply(text)) at.event(d.index - 1, d.events.getLast(), d);
        }
        return d;
    }

    interface EventListener {
        void event(int index, String text, StraceDurability state);
    }

    /** Applies one completed syscall; true when it touched a path under the root. */
    private boolean apply(String text) {
        Matcher c = CALL.matcher(text);
        if (!c.matches() || Long.parseLong(c.group(3)) < 0) return false;
        String name = c.group(1);
        String args = c.group(2);
        String returned = c.group(5);
        List<String> strings = new ArrayList<>();
        Matcher s = STRING.matcher(args);
        while (s.find()) strings.add(s.group(1));
        switch (name) {
            case "openat", "open", "creat" -> {
                if (returned == null || !under(returned)) return false;
                boolean create = name.equals("creat") || args.contains("O_CREAT");
                if (create || args.contains("O_TRUNC")) change(returned);
                if (create && !named.containsKey(returned)) named.put(returned, index);
                return record(name + " " + returned);
            }
            case "write", "pwrite64", "writev", "pwritev", "pwritev2", "ftruncate", "fallocate", "sendfile" -> {
                String path = fdPath(args);
                if (path == null || !under(path)) return false;
                change(path);
                return record(name + " " + path);
            }
            case "copy_file_range" -> {
                String[] parts = args.split(",\\s*");
                String path = parts.length > 2 ? fdPath(parts[2]) : null;
                if (path == null || !under(path)) return false;
                change(path);
                return record(name + " " + path);
            }
            case "fsync", "fdatasync" -> {
                String path = fdPath(args);
                if (path == null || !under(path)) return false;
                lastSync.put(path, index);
                return record(name + " " + path);
            }
            case "rename", "renameat", "renameat2" -> {
                if (strings.size() < 2) return false;
                String from = absolute(strings.get(0)), to = absolute(strings.get(1));
                if (!under(from) && !under(to)) return false;
                move(from, to);
                named.put(to, index);
                return record(name + " " + from + " -> " + to);
            }
            case "mkdir", "mkdirat" -> {
                if (strings.isEmpty() || !under(absolute(strings.get(0)))) return false;
                String path = absolute(strings.get(0));
                named.put(path, index);
                return record(name + " " + path);
            }
            case "unlink", "unlinkat", "rmdir" -> {
                if (strings.isEmpty() || !under(absolute(strings.get(0)))) return false;
                String path = absolute(strings.get(0));
                forget(path);
                return record(name + " " + path);
            }
            default -> {
                return false;
            }
        }
    }

    private boolean record(String event) {
        events.add(event);
        index++;
        return true;
    }

    private void change(String path) {
        lastChange.put(path, index);
    }

    private static String fdPath(String args) {
        Matcher m = FD.matcher(args.strip());
        return m.find() ? m.group(1) : null;
    }

    private String absolute(String path) {
        if (!path.startsWith("/")) throw new IllegalStateException("a relative path in the trace: " + path);
        return Path.of(path).normalize().toString();
    }

    private boolean under(String path) {
        return Path.of(path).normalize().startsWith(root);
    }

    /** A rename carries the content, syncs and names of the path and everything below it. */
    private void move(String from, String to) {
        forget(to);
        for (Map<String, Integer> m : List.of(lastChange, lastSync, named)) {
            Map<String, Integer> moved = new HashMap<>();
            m.entrySet().removeIf(e -> {
                String p = e.getKey();
                if (p.equals(from) || p.startsWith(from + "/")) {
                    moved.put(to + p.substring(from.length()), e.getValue());
                    return true;
                }
                return false;
            });
            m.putAll(moved);
        }
    }

    private void forget(String path) {
        for (Map<String, Integer> m : List.of(lastChange, lastSync, named)) {
            m.keySet().removeIf(p -> p.equals(path) || p.startsWith(path + "/"));
        }
    }

    /**
     * Why {@code path} (under the root) would not survive a power cut at this point of the trace, or
     * null when it would: its content written after its last sync, or its name (or a folder's above
     * it, up to the root) not yet synced into its folder.
     */
    String notDurable(Path path) {
        String content = contentNotDurable(path);
        if (content != null) return content;
        String p = path.toAbsolutePath().normalize().toString();
        for (Path at = Path.of(p); at != null && at.startsWith(root) && !at.equals(root); at = at.getParent()) {
            Integer made = named.get(at.toString());
            if (made == null) continue; // existed before the process: durable as it was
            String folder = at.getParent().toString();
            if (lastSync.getOrDefault(folder, -1) < made) {
                return at + ": its name in " + folder + " (" + events.get(made) + ") not made durable by an fsync of the folder after";
            }
        }
        return null;
    }

    /** Why the content now at {@code path} would not survive a power cut (written after its last sync), or null. */
    String contentNotDurable(Path path) {
        String p = path.toAbsolutePath().normalize().toString();
        Integer changed = lastChange.get(p);
        if (changed == null || lastSync.getOrDefault(p, -1) >= changed) return null;
        return p + ": written (" + events.get(changed) + ") and not fsync'd after";
    }

    int events() {
        return index;
    }
}
