package dev.resumo.train.data.parquet;

import dev.resumo.train.data.parquet.FileMetadata.LogicalType;
import dev.resumo.train.data.parquet.FileMetadata.SchemaElement;
import java.util.ArrayList;
import java.util.List;

/**
 * The file's top-level columns, from the footer's schema: a depth-first list of nodes where each
 * group says how many children follow it. Every leaf is one column chunk per row group, in this
 * order; a top-level field is flat when it is a single non-repeated leaf (its definition level is
 * 1 if OPTIONAL, 0 if REQUIRED; it has no repetition levels). Lists, maps and structs are noted
 * with their kind, and only refused when the loader asks for one.
 */
final class ParquetSchema {
    /**
     * A top-level column: its leaves' indices [firstLeaf, firstLeaf + leafCount) among the column
     * chunks; {@code nested} is "a list", "a map" or "a struct", or null for a flat column.
     */
    record Field(String name, SchemaElement element, int firstLeaf, int leafCount, String nested) {}

    /** The highest definition level of a flat column: 1 if OPTIONAL (a level says value or null), 0 if REQUIRED. */
    static int maxDefinitionLevel(SchemaElement flat) {
        return flat.repetition() == SchemaElement.OPTIONAL ? 1 : 0;
    }

    private static final int MAX_DEPTH = 100;
    private static final int CONVERTED_MAP = 1, CONVERTED_MAP_KEY_VALUE = 2, CONVERTED_LIST = 3;

    final List<Field> fields;
    final int leafCount;

    private ParquetSchema(List<Field> fields, int leafCount) {
        this.fields = fields;
        this.leafCount = leafCount;
    }

    static ParquetSchema of(List<SchemaElement> elements) {
        SchemaElement root = elements.get(0);
        if (root.numChildren() < 0 || root.numChildren() > elements.size()) {
            throw new ParquetFormatException("corrupt schema: the root claims " + root.numChildren() + " columns");
        }
        List<Field> fields = new ArrayList<>();
        int[] next = {1}, leaves = {0};
        for (int c = 0; c < root.numChildren(); c++) {
            if (next[0] >= elements.size()) throw new ParquetFormatException("corrupt schema: it ends before its last column");
            SchemaElement e = elements.get(next[0]);
            int first = leaves[0];
            walk(elements, next, leaves, 0);
            fields.add(new Field(e.name(), e, first, leaves[0] - first, nestedKind(e)));
        }
        if (next[0] != elements.size()) {
            throw new ParquetFormatException("corrupt schema: " + (elements.size() - next[0]) + " nodes after the last column");
        }
        return new ParquetSchema(List.copyOf(fields), leaves[0]);
    }

    Field field(String name) {
        for (Field f : fields) if (f.name().equals(name)) return f;
        return null;
    }

    List<String> names() {
        return fields.stream().map(Field::name).toList();
    }

    /** Consumes the node at next[0] and its subtree, counting its leaves. */
    private static void walk(List<SchemaElement> elements, int[] next, int[] leaves, int depth) {
        if (depth > MAX_DEPTH) throw new ParquetFormatException("corrupt schema: nested more than " + MAX_DEPTH + " deep");
        if (next[0] >= elements.size()) throw new ParquetFormatException("corrupt schema: a group's children are missing");
        SchemaElement e = elements.get(next[0]++);
        if (!e.isGroup()) {
            leaves[0]++;
            return;
        }
        if (e.numChildren() < 0) throw new ParquetFormatException("corrupt schema: group '" + e.name() + "' has " + e.numChildren() + " children");
        for (int i = 0; i < e.numChildren(); i++) walk(elements, next, leaves, depth + 1);
    }

    private static String nestedKind(SchemaElement e) {
        LogicalType l = e.logicalType();
        Integer c = e.convertedType();
        if (e.repetition() == SchemaElement.REPEATED) return "a list";
        if (!e.isGroup()) return null;
        if ((l != null && l.kind() == LogicalType.LIST) || (c != null && c == CONVERTED_LIST)) return "a list";
        if ((l != null && l.kind() == LogicalType.MAP) || (c != null && (c == CONVERTED_MAP || c == CONVERTED_MAP_KEY_VALUE))) return "a map";
        return "a struct";
    }
}
