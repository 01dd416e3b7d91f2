package dev.resumo.train.data;

import java.nio.file.Path;
import java.util.List;

/**
 * A {@code --dataset} resolved to the files it reads, none of them read yet: one path read whole by
 * {@link DatasetLoader#load(Path, DatasetOptions)} (a file, a TeMário or XL-Sum folder), or the files a
 * hub dataset or a local copy of one was picked down to (all of them one dataset, or per split).
 *
 * <p>Why resolve apart from loading: `resumo train` resolves before it loads the model, so a hub
 * dataset is fetched, and a local folder's {@code DIR:CONFIG} typo or a folder with no data files
 * is reported, without waiting for a model load first; and what resolving says (a partial split of
 * the hub's Parquet conversion) is said once, not again when the rows are read.
 *
 * @param path read whole when not null (the lists are then empty)
 * @param knownColumns the columns a known hub dataset keeps its text and summary in, used when the
 *     caller left the columns at their defaults; null when none are known
 */
public record DatasetFiles(Path path, List<Path> whole, List<Path> train, List<Path> validation, List<Path> test,
                           Columns knownColumns) {
    public DatasetFiles {
        whole = List.copyOf(whole);
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        test = List.copyOf(test);
    }

    /** One file or folder read whole. */
    static DatasetFiles of(Path path) {
        return new DatasetFiles(path, List.of(), List.of(), List.of(), List.of(), null);
    }

    /** Picked files: {@code whole} (one dataset, maybe in shards) or train/validation/test files. */
    static DatasetFiles picked(List<Path> whole, List<Path> train, List<Path> validation, List<Path> test, Columns knownColumns) {
        return new DatasetFiles(null, whole, train, validation, test, knownColumns);
    }

    /** Reads the rows. */
    public Dataset load(DatasetOptions options) {
        if (path != null) return DatasetLoader.load(path, options);
        DatasetOptions resolved = knownColumns == null || !options.columns().equals(Columns.DEFAULT)
                ? options : options.withColumns(knownColumns);
        return DatasetLoader.loadWholeOrSplits(whole, train, validation, test, resolved);
    }
}
