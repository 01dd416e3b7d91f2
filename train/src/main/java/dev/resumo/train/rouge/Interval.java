package dev.resumo.train.rouge;

/** A bootstrap confidence interval of the mean: low and high percentiles and the median (mid). */
public record Interval(Score low, Score mid, Score high) {}
