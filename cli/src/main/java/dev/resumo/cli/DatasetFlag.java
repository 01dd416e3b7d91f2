package dev.resumo.cli;

import dev.resumo.train.data.Columns;
import dev.resumo.train.data.DataFileException;
import dev.resumo.train.data.Dataset;
import dev.resumo.train.data.DatasetException;
import dev.resumo.train.data.DatasetOptions;
import dev.resumo.train.data.HubDatasets;
import java.io.PrintStream;

/**
 * `--dataset` of eval and baseline, read as `resumo train` reads it: JSON lines, CSV/TSV (and .gz of
 * either), Parquet, a TeMário folder, XL-Sum data, a local copy of a hub dataset (DIR[:CONFIG]) or a
 * hub dataset id, through the train module's {@link HubDatasets}/{@code DatasetLoader}. One path for
 * both commands, so baseline's Lead-N on a split is scored on exactly the rows eval scores (and
 * reports Lead-3 on) for that split.
 */
final class DatasetFlag {
    private DatasetFlag() {}

    static Dataset load(String spec, String textColumn, String summaryColumn, PrintStream log) {
        // localPath: DIR:CONFIG (a configuration of a local copy of a hub dataset) names DIR, which exists.
        if (!HubDatasets.isHubId(spec) && HubDatasets.localPath(spec) == null) {
            throw new UserError("--dataset " + spec + ": no such file or folder (nor a hub dataset id ORG/NAME[:CONFIG])");
        }
        // train's words (TrainConfig): Columns refused these with an IllegalArgumentException, which eval
        // reported as an internal error with a stack trace.
        String problem = Columns.flagProblem(textColumn, summaryColumn);
        if (problem != null) throw new UserError(problem);
        Columns columns = Columns.DEFAULT.withText(textColumn).withSummary(summaryColumn);
        try {
            return HubDatasets.load(spec, log, DatasetOptions.DEFAULT.withColumns(columns));
        } catch (DatasetException | DataFileException e) {
            throw new UserError(e.getMessage());
        }
    }
}
