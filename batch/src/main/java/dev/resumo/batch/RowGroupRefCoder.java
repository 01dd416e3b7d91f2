package dev.resumo.batch;

import dev.resumo.train.data.parquet.RowGroupSlice;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.io.fs.ResourceIdCoder;

/**
 * {@link RowGroupRef}'s coder: its fields one after another, each with Beam's coder for its type, and
 * the slice as the bytes of {@link RowGroupSlice#toBytes} (a layout the Parquet reader owns and
 * versions). Unlike Java serialization it is compact, survives changes to the record's class, and
 * is deterministic: equal refs encode to equal bytes.
 */
final class RowGroupRefCoder extends CustomCoder<RowGroupRef> {
    private static final ResourceIdCoder FILE = ResourceIdCoder.of();
    private static final VarLongCoder LONG = VarLongCoder.of();
    private static final ByteArrayCoder BYTES = ByteArrayCoder.of();
    private static final RowGroupRefCoder INSTANCE = new RowGroupRefCoder();

    static RowGroupRefCoder of() {
        return INSTANCE;
    }

    private RowGroupRefCoder() {}

    @Override
    public void encode(RowGroupRef ref, OutputStream out) throws IOException {
        FILE.encode(ref.file(), out);
        LONG.encode(ref.sizeBytes(), out);
        LONG.encode(ref.lastModifiedMillis(), out);
        LONG.encode(ref.firstRow(), out);
        BYTES.encode(ref.slice().toBytes(), out);
    }

    @Override
    public RowGroupRef decode(InputStream in) throws IOException {
        ResourceId file = FILE.decode(in);
        long size = LONG.decode(in), modified = LONG.decode(in), firstRow = LONG.decode(in);
        return new RowGroupRef(file, size, modified, firstRow, RowGroupSlice.fromBytes(BYTES.decode(in)));
    }

    /** Deterministic as its parts are: a resource id's string, var-longs, and the slice's own deterministic bytes. */
    @Override
    public void verifyDeterministic() throws NonDeterministicException {
        verifyDeterministic(this, "a row group ref's parts must be deterministic", FILE, LONG, BYTES);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowGroupRefCoder;
    }

    @Override
    public int hashCode() {
        return RowGroupRefCoder.class.hashCode();
    }
}
