package dev.resumo.batch;

import java.io.Serializable;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * One row group of one Parquet file: the unit of work the pipeline spreads over workers, so a big
 * file's row groups are read in parallel. {@code firstRow} (from 0) is where the group starts in the
 * file, so a dead letter can name its row as {@code FILE:N} counted over the whole file.
 */
record RowGroupRef(ResourceId file, int rowGroup, long firstRow) implements Serializable {}
