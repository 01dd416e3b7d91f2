package dev.resumo.batch;

import java.util.List;
import org.apache.beam.sdk.io.FileSystem;
import org.apache.beam.sdk.io.FileSystemRegistrar;
import org.apache.beam.sdk.options.PipelineOptions;

/** Makes {@code counting://} known to Beam's FileSystems (listed in META-INF/services of the test resources). */
public final class CountingFileSystemRegistrar implements FileSystemRegistrar {
    @Override
    public Iterable<FileSystem<?>> fromOptions(PipelineOptions options) {
        return List.of(new CountingFileSystem());
    }
}
