package dev.resumo.batch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.sdk.io.FileSystem;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.CreateOptions;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;

/**
 * A read-only Beam filesystem that records every read: {@code counting:///abs/path} is the local
 * file {@code /abs/path}. On a remote store (gs://, s3://) each read is a request and its bytes are
 * billed and waited for; here a test or a measurement can tell which bytes of a file the pipeline
 * read, and how often (a Parquet footer read once per row group instead of once per file).
 * Registered through {@link CountingFileSystemRegistrar}.
 */
final class CountingFileSystem extends FileSystem<CountingResourceId> {
    static final String SCHEME = "counting";

    /** One read: the local file, where it started, how many bytes it got. */
    record Read(String path, long position, int bytes) {}

    /** Every read through any channel this filesystem opened, across the runner's threads. */
    static final Queue<Read> READS = new ConcurrentLinkedQueue<>();

    /** How {@code file} is named through this filesystem. */
    static String spec(Path file) {
        return SCHEME + "://" + file.toAbsolutePath();
    }

    /** The bytes of {@code file} read in [from, to), over every read recorded. */
    static long bytesRead(Path file, long from, long to) {
        String path = file.toAbsolutePath().toString();
        long total = 0;
        for (Read r : READS) {
            if (!r.path().equals(path)) continue;
            total += Math.max(0, Math.min(to, r.position() + r.bytes()) - Math.max(from, r.position()));
        }
        return total;
    }

    static String localPath(String spec) {
        if (!spec.startsWith(SCHEME + "://")) throw new IllegalArgumentException("not a " + SCHEME + ":// spec: " + spec);
        return spec.substring(SCHEME.length() + 3);
    }

    @Override
    protected List<MatchResult> match(List<String> specs) throws IOException {
        List<MatchResult> out = new ArrayList<>();
        for (String spec : specs) {
            MatchResult local = FileSystems.match(localPath(spec));
            if (local.status() != MatchResult.Status.OK) {
                out.add(local);
                continue;
            }
            List<MatchResult.Metadata> files = new ArrayList<>();
            for (MatchResult.Metadata m : local.metadata()) {
                files.add(MatchResult.Metadata.builder()
                        .setResourceId(new CountingResourceId(m.resourceId().toString(), m.resourceId().isDirectory()))
                        .setSizeBytes(m.sizeBytes())
                        .setIsReadSeekEfficient(true)
                        .setLastModifiedMillis(m.lastModifiedMillis())
                        .build());
            }
            out.add(MatchResult.create(MatchResult.Status.OK, files));
        }
        return out;
    }

    @Override
    protected ReadableByteChannel open(CountingResourceId id) throws IOException {
        return new CountingChannel(id.localPath(), FileChannel.open(Path.of(id.localPath()), StandardOpenOption.READ));
    }

    @Override
    protected CountingResourceId matchNewResource(String spec, boolean isDirectory) {
        return new CountingResourceId(localPath(spec), isDirectory);
    }

    @Override
    protected String getScheme() {
        return SCHEME;
    }

    @Override
    protected WritableByteChannel create(CountingResourceId id, CreateOptions options) {
        throw new UnsupportedOperationException(SCHEME + ":// is read-only");
    }

    @Override
    protected void copy(List<CountingResourceId> from, List<CountingResourceId> to) {
        throw new UnsupportedOperationException(SCHEME + ":// is read-only");
    }

    @Override
    protected void rename(List<CountingResourceId> from, List<CountingResourceId> to, MoveOptions... options) {
        throw new UnsupportedOperationException(SCHEME + ":// is read-only");
    }

    @Override
    protected void delete(Collection<CountingResourceId> ids) {
        throw new UnsupportedOperationException(SCHEME + ":// is read-only");
    }

    /**
     * A file read through the plain {@link SeekableByteChannel} interface (not a FileChannel, so
     * readers position and read as they would over a network channel), recording each read.
     */
    private static final class CountingChannel implements SeekableByteChannel {
        private final String path;
        private final FileChannel file;

        CountingChannel(String path, FileChannel file) {
            this.path = path;
            this.file = file;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            long position = file.position();
            int n = file.read(dst);
            if (n > 0) READS.add(new Read(path, position, n));
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public long position() throws IOException {
            return file.position();
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            file.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public boolean isOpen() {
            return file.isOpen();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
