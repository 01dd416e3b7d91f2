package dev.resumo.train.track.mlflow;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunTag;

/**
 * Which param or tag of a refused log-batch call the server's message is about, for a warning a
 * user can act on. MLflow 2.17 names it by position ("Invalid value \"bad?key\" for parameter
 * 'params[1].key'") or quotes its key ("Param key 'kkk…' had length 300", "Changing param values is
 * not allowed. Params were already logged='[{'key': 'lr', …"); a message that does neither gets
 * "one of its N params and M tags".
 */
final class RefusedEntity {
    private RefusedEntity() {}

    private static final Pattern POSITION = Pattern.compile("\\b(params|tags)\\[(\\d+)]");
    /** Values are shown up to this many characters: the server's limit is thousands. */
    private static final int SHOWN_VALUE = 80;

    static String name(LogBatch batch, String serverMessage) {
        String message = serverMessage == null ? "" : serverMessage;
        Matcher m = POSITION.matcher(message);
        if (m.find()) {
            int i = Integer.parseInt(m.group(2));
            if (m.group(1).equals("params") && i < batch.params().size()) return param(batch.params().get(i));
            if (m.group(1).equals("tags") && i < batch.tags().size()) return tag(batch.tags().get(i));
        }
        for (Param p : batch.params()) {
            if (message.contains("'" + p.getKey() + "'")) return param(p);
        }
        for (RunTag t : batch.tags()) {
            if (message.contains("'" + t.getKey() + "'")) return tag(t);
        }
        return "one of its " + batch.params().size() + " params and " + batch.tags().size() + " tags";
    }

    private static String param(Param p) {
        return "param '" + shown(p.getKey()) + "' = " + value(p.getValue());
    }

    private static String tag(RunTag t) {
        return "tag '" + shown(t.getKey()) + "' = " + value(t.getValue());
    }

    private static String value(String v) {
        return "'" + shown(v) + "'" + (v.length() > SHOWN_VALUE ? " (" + v.length() + " characters)" : "");
    }

    private static String shown(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() <= SHOWN_VALUE ? one : one.substring(0, SHOWN_VALUE) + "...";
    }
}
