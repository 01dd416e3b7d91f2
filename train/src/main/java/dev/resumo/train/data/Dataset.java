package dev.resumo.train.data;

import java.util.List;

/** A loaded, validated dataset: examples per split (in source order) and the loading report. */
public record Dataset(List<Example> train, List<Example> validation, List<Example> test, DatasetReport report) {
    public Dataset {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        test = List.copyOf(test);
    }

    public List<Example> split(Split s) {
        return switch (s) {
            case TRAIN -> train;
            case VALIDATION -> validation;
            case TEST -> test;
        };
    }
}
