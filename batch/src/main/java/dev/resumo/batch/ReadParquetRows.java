package dev.resumo.batch;

import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Parquet files → rows and dead letters under {@link ParseRowFn}'s tags, as the JSON-lines read
 * gives them: match the pattern, list each file's row groups, reshuffle them (the row groups of one
 * big file are spread over the workers instead of staying with the worker that listed them), read
 * each group's id and text columns. The footer is read once per file, by the listing: each ref
 * carries what reading its group needs from it ({@link RowGroupRef}).
 */
final class ReadParquetRows extends PTransform<PBegin, PCollectionTuple> {
    private final String pattern;
    private final String idColumn;
    private final String textColumn;

    ReadParquetRows(String pattern, String idColumn, String textColumn) {
        this.pattern = pattern;
        this.idColumn = idColumn;
        this.textColumn = textColumn;
    }

    @Override
    public PCollectionTuple expand(PBegin begin) {
        return begin.apply("MatchParquetFiles", FileIO.match().filepattern(pattern))
                .apply("OpenParquetFiles", FileIO.readMatches())
                .apply("ListRowGroups", ParDo.of(new ListRowGroupsFn(idColumn, textColumn)))
                .setCoder(RowGroupRefCoder.of())
                .apply("SpreadRowGroups", Reshuffle.viaRandomKey())
                .apply("ReadRowGroups", ParDo.of(new ReadRowGroupFn(idColumn, textColumn))
                        .withOutputTags(ParseRowFn.ROWS, TupleTagList.of(ParseRowFn.DEAD)));
    }
}
