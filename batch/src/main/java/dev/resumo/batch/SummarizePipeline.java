package dev.resumo.batch;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * JSON lines or Parquet ({@link ParquetInput#isParquet}: a pattern ending in .parquet) → summaries:
 * read, parse (bad rows to dead letters), summarize in batches with one model per JVM (failures to
 * dead letters), write PREFIX-summaries-*.jsonl and PREFIX-dead-letters-*.jsonl. The same graph
 * runs on the Direct, Flink, Spark and Dataflow runners.
 */
public final class SummarizePipeline {
    private SummarizePipeline() {}

    public static Pipeline build(BatchOptions o, SummarizerLoader loader) {
        if (o.getBatchSize() < 1) throw new IllegalArgumentException("--batchSize: must be ≥ 1, got " + o.getBatchSize());
        if (o.getNumReturnSequences() < 1) {
            throw new IllegalArgumentException("--numReturnSequences: must be ≥ 1, got " + o.getNumReturnSequences());
        }
        Pipeline p = Pipeline.create(o);
        boolean parquet = ParquetInput.isParquet(o.getInput());
        PCollectionTuple parsed = parquet
                ? p.apply("ReadParquetRows", new ReadParquetRows(o.getInput(), o.getIdColumn(), o.getTextColumn()))
                : p.apply("ReadJsonLines", TextIO.read().from(o.getInput()))
                        .apply("ParseRows", ParDo.of(new ParseRowFn(o.getIdColumn(), o.getTextColumn()))
                                .withOutputTags(ParseRowFn.ROWS, TupleTagList.of(ParseRowFn.DEAD)));
        PCollection<InputRow> rows = parsed.get(ParseRowFn.ROWS).setCoder(SerializableCoder.of(InputRow.class));
        // A row group's rows come out of one read, and a runner fuses that read with the summarizing:
        // without this, one file of one row group (pyarrow's default up to 1 Mi rows) was summarized by
        // one worker however many there were. Generation costs far more than moving the rows.
        if (parquet) rows = rows.apply("SpreadRows", Reshuffle.viaRandomKey());
        PCollectionTuple summarized = rows
                .apply("Summarize", ParDo.of(new SummarizeBatchFn(loader, o.getBatchSize()))
                        .withOutputTags(SummarizeBatchFn.SUMMARIES, TupleTagList.of(SummarizeBatchFn.DEAD)));
        summarized.get(SummarizeBatchFn.SUMMARIES).setCoder(StringUtf8Coder.of())
                .apply("WriteSummaries", TextIO.write().to(o.getOutput() + "-summaries").withSuffix(".jsonl"));
        PCollectionList.of(parsed.get(ParseRowFn.DEAD).setCoder(StringUtf8Coder.of()))
                .and(summarized.get(SummarizeBatchFn.DEAD).setCoder(StringUtf8Coder.of()))
                .apply("AllDeadLetters", Flatten.pCollections())
                .apply("WriteDeadLetters", TextIO.write().to(o.getOutput() + "-dead-letters").withSuffix(".jsonl"));
        return p;
    }

    /** The loader for a model folder, from the options. */
    public static SummarizerLoader modelLoader(BatchOptions o) {
        return new ModelDirLoader(o.getModel(), o.getTokenizer(), o.getPrefix(), o.getMaxSourceLength(),
                GenerationOptions.from(o), o.getNumReturnSequences(), o.getBatchSize(), o.getDevice());
    }
}
