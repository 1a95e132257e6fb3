package io.noos.streams.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import io.noos.streams.testkit.JsonTrees;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The judge of every conformance vector, rule by rule from ../shared/conformance/FORMAT.md
 * ("Comparison rules"): for each rule a pair that must match and one that must not. Each row is
 * {@code expected | actual | matches}.
 */
class JsonMatchTest {

    private static void check(String expected, String actual, boolean matches) {
        assertEquals(matches, JsonMatch.matches(JsonTrees.tree(expected), JsonTrees.tree(actual)),
                () -> expected + " against " + actual);
    }

    /** Numbers: equal within an absolute 1e-9; integers compare exactly; a number is not a string. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0.3                | 0.30000000000000004 | true",
            "0.5                | 0.5000000009        | true",    // 9e-10 apart: inside the tolerance
            "0.5                | 0.500000002         | false",   // 2e-9 apart: outside
            "1000000.5          | 1000000.500000002   | false",   // absolute, not relative
            "1                  | 1.0                 | true",    // an integer and a float of the same value
            "1                  | 2                   | false",
            "9007199254740993   | 9007199254740992    | false",   // equal as doubles, not as integers
            "-0.0               | 0.0                 | true",
            "1                  | '\"1\"'             | false",
            "'\"1\"'            | 1                   | false",
            "1                  | true                | false",
            "0                  | null                | false",
    })
    void numbers(String expected, String actual, boolean matches) {
        check(expected, actual, matches);
    }

    /** Non-finite doubles are written as the strings "NaN", "Infinity", "-Infinity". */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'\"NaN\"'          | '\"NaN\"'           | true",
            "'\"Infinity\"'     | '\"Infinity\"'      | true",
            "'\"Infinity\"'     | '\"-Infinity\"'     | false",
            "'\"NaN\"'          | 0                   | false",
            "1e308              | '\"Infinity\"'      | false",
    })
    void nonFiniteNumbersAsStrings(String expected, String actual, boolean matches) {
        check(expected, actual, matches);
    }

    @org.junit.jupiter.api.Test
    void aComputedNonFiniteDoubleMatchesItsString() {
        assertEquals(true, JsonMatch.matches(JsonTrees.tree("\"NaN\""), DoubleNode.valueOf(Double.NaN)));
        assertEquals(true, JsonMatch.matches(JsonTrees.tree("\"-Infinity\""),
                DoubleNode.valueOf(Double.NEGATIVE_INFINITY)));
        assertEquals(false, JsonMatch.matches(JsonTrees.tree("\"Infinity\""), DoubleNode.valueOf(Double.NaN)));
        assertEquals(false, JsonMatch.matches(JsonTrees.tree("1.0"), DoubleNode.valueOf(Double.NaN)));
    }

    /** Strings, booleans and null: exact; a missing key and null are the same. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'\"continue\"'     | '\"continue\"'      | true",
            "'\"continue\"'     | '\"Continue\"'      | false",
            "'\"a b\"'          | '\"a  b\"'          | false",
            "true               | true                | true",
            "true               | false               | false",
            "true               | '\"true\"'          | false",
            "null               | null                | true",
            "null               | '\"\"'              | false",
            "null               | 0                   | false",
            "'\"\"'             | null                | false",
            "'{\"a\":null}'     | '{}'                | true",
            "'{}'               | '{\"a\":null}'      | true",
    })
    void stringsBooleansAndNull(String expected, String actual, boolean matches) {
        check(expected, actual, matches);
    }

    /** Objects: the same keys with matching values, in any order. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'{\"a\":1,\"b\":\"x\"}'     | '{\"b\":\"x\",\"a\":1}'           | true",    // key order is free
            "'{\"a\":1,\"b\":\"x\"}'     | '{\"a\":1}'                       | false",   // a missing key
            "'{\"a\":1}'                 | '{\"a\":1,\"b\":2}'               | false",   // an extra key
            "'{\"a\":1}'                 | '{\"a\":1,\"b\":null}'            | true",    // an extra null is absent
            "'{\"a\":{\"b\":1.0}}'       | '{\"a\":{\"b\":1.0000000001}}'    | true",
            "'{\"a\":{\"b\":1}}'         | '{\"a\":{\"b\":1,\"c\":0}}'       | false",   // extra key one level down
            "'{\"a\":{\"b\":1}}'         | '{\"a\":{}}'                      | false",   // missing key one level down
            "'{\"a\":1}'                 | '[1]'                             | false",
            "'{}'                        | '{}'                              | true",
    })
    void objects(String expected, String actual, boolean matches) {
        check(expected, actual, matches);
    }

    /** Arrays: the same length, element by element, in order, to any depth. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'[\"a\",\"b\"]'             | '[\"a\",\"b\"]'                   | true",
            "'[\"a\",\"b\"]'             | '[\"b\",\"a\"]'                   | false",   // order counts
            "'[\"a\",\"b\"]'             | '[\"a\"]'                         | false",   // shorter
            "'[\"a\"]'                   | '[\"a\",\"b\"]'                   | false",   // longer
            "'[[0,4],[7,9]]'             | '[[0,4],[7,9]]'                   | true",
            "'[[0,4],[7,9]]'             | '[[0,4],[9,7]]'                   | false",   // nested order
            "'[[0,4],[7,9]]'             | '[[0,4],[7]]'                     | false",   // nested length
            "'[[0.1],[0.2]]'             | '[[0.1000000000001],[0.2]]'       | true",
            "'[{\"k\":1}]'               | '[{\"k\":1,\"x\":2}]'             | false",   // object rules inside
            "'[]'                        | '[]'                              | true",
            "'[]'                        | 'null'                            | false",
            "'[1]'                       | '{\"0\":1}'                       | false",
    })
    void arrays(String expected, String actual, boolean matches) {
        check(expected, actual, matches);
    }

    /** accessors, metrics and export: only the keys {@code expect} names are compared. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'{\"a\":1}'                 | '{\"a\":1,\"b\":2}'               | true",    // extra keys ignored
            "'{\"a\":1,\"b\":2}'         | '{\"b\":2,\"a\":1}'               | true",
            "'{\"a\":1,\"b\":2}'         | '{\"a\":1}'                       | false",   // a named key is missing
            "'{\"a\":1}'                 | '{\"a\":1.1}'                     | false",
            "'{\"a\":{\"b\":1}}'         | '{\"a\":{\"b\":1,\"c\":2}}'       | false",   // nested: full rules
            "'{\"a\":null}'              | '{}'                              | true",
            "'{\"a\":1}'                 | '[1]'                             | false",
    })
    void namedKeysOnly(String expected, String actual, boolean matches) {
        assertEquals(matches, JsonMatch.matchesNamedKeys(JsonTrees.tree(expected), JsonTrees.tree(actual)),
                () -> expected + " against " + actual);
    }
}
