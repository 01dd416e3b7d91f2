package dev.resumo.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * A Parquet id keeps its value as the output's JSON id: a string column's as a string, a number's as
 * the number written exactly. A DECIMAL id read through a double came out changed (123.40 as 123.4,
 * 1234567890123456.78 as 1.2345678901234568E15): outputs that no longer join back to the input, and
 * two ids that could become one.
 */
class ParquetIdTypesTest {
    @Test
    void idsKeepTheirTypeAndEveryDigit() {
        assertEquals("\"0042\"", ReadRowGroupFn.idNode("0042", true).toString());
        assertEquals("42", ReadRowGroupFn.idNode("42", false).toString());
        assertEquals("9223372036854775807", ReadRowGroupFn.idNode("9223372036854775807", false).toString());
        assertEquals("123.40", ReadRowGroupFn.idNode("123.40", false).toString());
        assertEquals("1234567890123456.78", ReadRowGroupFn.idNode("1234567890123456.78", false).toString());
        assertEquals("true", ReadRowGroupFn.idNode("true", false).toString());
        // JSON has no number for these: kept as text.
        assertEquals("\"NaN\"", ReadRowGroupFn.idNode("NaN", false).toString());
        assertEquals("null", ReadRowGroupFn.idNode(null, false).toString());
    }
}
