package io.noos.streams.otel.ingest;

import io.noos.streams.core.InvalidEventException;
import io.noos.streams.core.Utf8;
import io.noos.streams.logfile.RawLineReader;
import io.noos.streams.otel.JsonValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads the JSON values of one input file ({@code .gz} accepted): one per line (JSON Lines, as
 * a Collector's file exporter writes them), or one spread over several lines, as the Python SDK's
 * {@code to_json()} (indent 4) and protobuf's {@code MessageToJson} (indent 2) write them.
 *
 * <p>A line that is not a whole JSON value but opens an object or array that it does not close
 * starts a multi-line value; the value ends on the line that closes it. A line starting with
 * {@code {} or {@code [} in its first column while a value is still open (the exporters indent
 * the inside of a value) means the open one was cut short: it is reported unparseable and the
 * new line starts afresh, so one truncated record never swallows the rest of the file.
 */
final class JsonRecordReader {

    /** What the file holds, value by value. */
    interface Sink {
        /** A JSON value that starts on {@code line}. */
        void value(JsonValue value, long line);

        /** Text starting on {@code line} that is not valid UTF-8 JSON. */
        void unparseable(long line);

        /** A blank line outside any value. */
        void blank();
    }

    /** Brace and string state of an open value. */
    private static final class Open {
        final long startLine;
        final StringBuilder text = new StringBuilder();
        int depth;
        boolean inString;
        boolean escaped;
        boolean broken;
        boolean notUtf8;

        Open(long startLine) {
            this.startLine = startLine;
        }

        void append(String line) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(line);
            for (int i = 0; i < line.length() && !broken; i++) {
                char c = line.charAt(i);
                if (inString) {
                    if (escaped) {
                        escaped = false;
                    } else if (c == '\\') {
                        escaped = true;
                    } else if (c == '"') {
                        inString = false;
                    }
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                    broken = depth < 0;
                }
            }
        }

        boolean closed() {
            return depth == 0 && !inString;
        }
    }

    private JsonRecordReader() {}

    /** Reads {@code file} value by value into {@code sink}; returns the number of lines read. */
    static long read(Path file, Sink sink) throws IOException {
        Open open = null;
        try (RawLineReader in = RawLineReader.open(file)) {
            for (byte[] bytes; (bytes = in.next()) != null; ) {
                long line = in.lineNumber();
                String text = decode(bytes);
                if (open != null) {
                    String lenient = text != null ? text : new String(bytes, StandardCharsets.UTF_8);
                    if (!startsValueInFirstColumn(lenient)) {
                        open.notUtf8 |= text == null;
                        open.append(lenient);
                        if (open.broken) {
                            sink.unparseable(open.startLine);
                            open = null;
                        } else if (open.closed()) {
                            finish(open, sink);
                            open = null;
                        }
                        continue;
                    }
                    sink.unparseable(open.startLine);   // cut short: a new value starts
                    open = null;
                }
                if (text == null) {
                    sink.unparseable(line);
                } else if (RawLineReader.isBlank(bytes)) {
                    sink.blank();
                } else {
                    JsonValue value = parse(text);
                    if (value != null) {
                        sink.value(value, line);
                    } else {
                        open = opening(text, line);
                        if (open == null) {
                            sink.unparseable(line);
                        }
                    }
                }
            }
            if (open != null) {
                sink.unparseable(open.startLine);
            }
            return in.lineNumber();
        }
    }

    /** The value opened by {@code text} when it opens one it does not close, else null. */
    private static Open opening(String text, long line) {
        String trimmed = text.strip();
        if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) {
            return null;
        }
        Open open = new Open(line);
        open.append(text);
        return open.broken || open.depth <= 0 ? null : open;
    }

    private static void finish(Open open, Sink sink) {
        JsonValue value = open.notUtf8 ? null : parse(open.text.toString());
        if (value == null) {
            sink.unparseable(open.startLine);
        } else {
            sink.value(value, open.startLine);
        }
    }

    private static boolean startsValueInFirstColumn(String text) {
        return !text.isEmpty() && (text.charAt(0) == '{' || text.charAt(0) == '[');
    }

    private static String decode(byte[] bytes) {
        try {
            return Utf8.decode(bytes);
        } catch (InvalidEventException e) {
            return null;
        }
    }

    private static JsonValue parse(String text) {
        try {
            return JsonValue.parse(text);
        } catch (InvalidEventException e) {
            return null;
        }
    }
}
