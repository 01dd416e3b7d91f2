package dev.resumo.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/**
 * {@link RowGroupRefCoder} gives back the ref it was given (file, size, time, first row, and the
 * slice a worker reads the group with), and equal refs give equal bytes, as it declares. The refs
 * are those the listing makes of the test files: string and int64 ids, optional and required
 * columns, dictionary and plain chunks, several codecs. (Beam's CoderProperties needs JUnit 4 and
 * Hamcrest, which are not on this module's test classpath: the same checks by hand.)
 */
class RowGroupRefCoderTest {
    private static List<RowGroupRef> refs() throws Exception {
        List<RowGroupRef> refs = new ArrayList<>();
        for (String f : List.of("corpus/part-0.parquet", "corpus/part-1.parquet", "corpus/part-2.parquet", "dead_letters.parquet")) {
            Path file = ParquetPipelineTest.fixture(f);
            refs.addAll(ParquetRewrittenFileTest.listed(file));
        }
        assertTrue(refs.size() >= 8, "row groups of several files: " + refs.size());
        return refs;
    }

    @Test
    void aRefDecodesToItself() throws Exception {
        RowGroupRefCoder coder = RowGroupRefCoder.of();
        for (RowGroupRef ref : refs()) {
            RowGroupRef back = CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, ref));
            assertEquals(ref, back);
            // The decoded slice reads the same cells as the listed one.
            assertEquals(cells(ref), cells(back), ref.toString());
        }
    }

    @Test
    void equalRefsEncodeToEqualBytes() throws Exception {
        RowGroupRefCoder coder = RowGroupRefCoder.of();
        coder.verifyDeterministic(); // declared deterministic: throws if a part is not
        List<RowGroupRef> listedAgain = refs();
        List<RowGroupRef> refs = refs();
        for (int i = 0; i < refs.size(); i++) {
            byte[] bytes = CoderUtils.encodeToByteArray(coder, refs.get(i));
            // Another listing of the same file, and a ref back from the wire, encode to the same bytes.
            assertArrayEquals(bytes, CoderUtils.encodeToByteArray(coder, listedAgain.get(i)), refs.get(i).toString());
            assertArrayEquals(bytes, CoderUtils.encodeToByteArray(coder, CoderUtils.decodeFromByteArray(coder, bytes)));
        }
    }

    private static List<String> cells(RowGroupRef ref) {
        var columns = ReadRowGroupFn.readColumns(ref);
        List<String> out = new ArrayList<>();
        for (var c : columns.values()) for (int r = 0; r < c.rows(); r++) out.add(c.name() + "=" + c.get(r));
        return out;
    }
}
