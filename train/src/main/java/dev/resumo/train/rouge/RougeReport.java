package dev.resumo.train.rouge;

import java.util.Map;

/**
 * ROUGE over a set of prediction/reference pairs: the mean of each score over the pairs, how many
 * pairs, and bootstrap intervals per ROUGE type.
 */
public record RougeReport(RougeScores mean, int count, Map<String, Interval> bootstrap, BootstrapAggregator settings) {}
