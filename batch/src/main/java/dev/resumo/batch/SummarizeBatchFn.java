package dev.resumo.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Summarizes rows in batches of {@code batchSize} within a bundle (the rest at the end of the
 * bundle). The model comes from {@link SummarizerHolder}: loaded once per JVM. When a batch
 * fails, its rows are retried one by one so that one bad row cannot sink the others; a row that
 * still fails goes to the dead letters with the error.
 */
final class SummarizeBatchFn extends DoFn<InputRow, String> {
    static final TupleTag<String> SUMMARIES = new TupleTag<>() {};
    static final TupleTag<String> DEAD = new TupleTag<>() {};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SummarizerLoader loader;
    private final int batchSize;
    private transient TextSummarizer summarizer;
    private transient List<InputRow> rows;
    private transient List<BoundedWindow> windows;

    SummarizeBatchFn(SummarizerLoader loader, int batchSize) {
        this.loader = loader;
        this.batchSize = batchSize;
    }

    @Setup
    public void setup() {
        summarizer = SummarizerHolder.get(loader);
    }

    @StartBundle
    public void startBundle() {
        rows = new ArrayList<>();
        windows = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element InputRow row, BoundedWindow window, MultiOutputReceiver out) {
        rows.add(row);
        windows.add(window);
        if (rows.size() >= batchSize) flush((tag, value, i) -> {
            count(tag);
            out.get(tag).output(value);
        });
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
        flush((tag, value, i) -> {
            count(tag);
            context.output(tag, value, windows.get(i).maxTimestamp(), windows.get(i));
        });
    }

    @FunctionalInterface
    private interface Emitter {
        void emit(TupleTag<String> tag, String value, int index);
    }

    private void flush(Emitter emit) {
        if (rows.isEmpty()) return;
        List<String> texts = new ArrayList<>(rows.size());
        for (InputRow r : rows) texts.add(r.text());
        List<BatchSummary> summaries;
        try {
            summaries = summarizer.summarizeWithCandidates(texts);
            if (summaries.size() != texts.size()) throw new IllegalStateException(summaries.size() + " summaries for " + texts.size() + " texts");
            for (int i = 0; i < rows.size(); i++) emit.emit(SUMMARIES, summaryLine(rows.get(i).idJson(), summaries.get(i)), i);
        } catch (RuntimeException batchFailure) {
            for (int i = 0; i < rows.size(); i++) {
                InputRow r = rows.get(i);
                try {
                    emit.emit(SUMMARIES, summaryLine(r.idJson(), summarizer.summarizeWithCandidates(List.of(r.text())).get(0)), i);
                } catch (RuntimeException e) {
                    emit.emit(DEAD, ParseRowFn.deadLetter(r.idJson(), r.text(), "summarization failed: " + e), i);
                }
            }
        }
        rows.clear();
        windows.clear();
    }

    private static void count(TupleTag<String> tag) {
        (tag == SUMMARIES ? BatchCounts.SUMMARIZED : BatchCounts.DEAD_LETTERS).inc();
    }

    /** {"id", "summary"}, and "candidates" [{"summary", "score" when there is one}] when several were generated (as summarize writes them). */
    private static String summaryLine(String idJson, BatchSummary summary) {
        ObjectNode line = JSON.createObjectNode();
        line.set("id", ParseRowFn.idNode(idJson));
        line.put("summary", summary.summary());
        if (!summary.candidates().isEmpty()) {
            var candidates = line.putArray("candidates");
            for (BatchSummary.Candidate c : summary.candidates()) {
                ObjectNode one = candidates.addObject().put("summary", c.summary());
                if (!Float.isNaN(c.score())) one.put("score", c.score());
            }
        }
        return line.toString();
    }

}
