package dev.resumo.batch;

import dev.resumo.train.data.parquet.RowGroupSlice;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * One row group of one Parquet file: the unit of work the pipeline spreads over workers, so a big
 * file's row groups are read in parallel. {@code firstRow} (from 0) is where the group starts in the
 * file, so a dead letter can name its row as {@code FILE:N} counted over the whole file.
 *
 * <p>It carries what reading its two columns needs from the footer ({@code slice}: their chunks'
 * byte ranges, types, codecs, value counts), so the worker seeks straight to the chunks instead of
 * parsing the footer again: the footer of a file of G row groups grows with G, and reading it once
 * per group cost O(G²) bytes from gs:// or s3:// (a 300-group file: its 67 KB footer read 301 times).
 * Carrying it beats a per-worker cache of parsed footers: a cache still reads each footer once per
 * worker (and Beam spreads one file's groups over all workers), is unbounded or evicts, and needs the
 * file's identity anyway; a slice is a few hundred bytes, whatever the file's size.
 *
 * <p>{@code sizeBytes} and {@code lastModifiedMillis} (0 when the filesystem does not say) are the
 * file's as matched: the version the slice was taken from. A worker refuses a file that no longer
 * has both, since the slice's byte ranges would point into another version's bytes.
 */
record RowGroupRef(ResourceId file, long sizeBytes, long lastModifiedMillis, long firstRow, RowGroupSlice slice) {}
