package dev.resumo.cli;

/**
 * Command-line arguments the JVM could not decode. Java decodes argv with the locale's charset
 * (sun.jnu.encoding); under LANG=C or POSIX that is ASCII, and every accented letter arrives as
 * U+FFFD: `java -jar resumo.jar summarize --text "ação"` summarized "a����o", and a column named
 * "título" was "not found". bin/resumo picks a UTF-8 locale when there is one; a bare `java -jar`
 * (a container, cron) gets this message instead of a wrong result or a misleading one.
 */
final class LocaleArguments {
    private LocaleArguments() {}

    /** The problem with {@code args} decoded in {@code charset}, or null when there is none. */
    static String problem(String[] args, String charset) {
        if (charset == null || charset.equalsIgnoreCase("UTF-8") || charset.equalsIgnoreCase("UTF8")) return null;
        for (String arg : args) {
            if (arg.indexOf('\uFFFD') >= 0) {
                return "cannot read the argument '" + arg.replace('\uFFFD', '?') + "': Java decoded the command line as "
                        + charset + " (the locale's charset), which has no such characters; run under a UTF-8 locale, "
                        + "e.g. LC_ALL=C.UTF-8 (bin/resumo picks one when the system has it)";
            }
        }
        return null;
    }

    /** {@link #problem} for this JVM's charset for arguments and file names. */
    static String problem(String[] args) {
        return problem(args, System.getProperty("sun.jnu.encoding"));
    }
}
