package io.facestream.inference.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Minimal reader for NumPy {@code .npy} files (format versions 1, 2 and 3), test scope only.
 *
 * <p>Supported: C-order arrays of little-endian {@code <f4} (float32), {@code <f8} (float64) and {@code |u1}
 * (uint8). Anything else (Fortran order, big-endian, other dtypes, structured dtypes) is rejected with an
 * {@link IllegalArgumentException}. The header dict is parsed as a small Python literal, not pattern-matched.
 *
 * @param dtype the normalised dtype: {@code "<f4"}, {@code "<f8"} or {@code "|u1"}
 * @param shape the array shape ({@code int[0]} for a scalar)
 * @param data  the raw little-endian payload, exactly {@code numElements() * itemSize} bytes
 */
public record Npy(String dtype, int[] shape, byte[] data) {

    public static final String F4 = "<f4";
    public static final String F8 = "<f8";
    public static final String U1 = "|u1";

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    public Npy {
        shape = shape.clone();
        data = data.clone();
        long n = count(shape);
        if (n * itemSize(dtype) != data.length) {
            throw new IllegalArgumentException("payload has " + data.length + " bytes, expected "
                    + n * itemSize(dtype) + " for " + dtype + " " + Arrays.toString(shape));
        }
    }

    /** Reads a whole {@code .npy} file. */
    public static Npy read(Path file) throws IOException {
        try {
            return parse(Files.readAllBytes(file));
        } catch (IllegalArgumentException e) {
            throw new IOException("not a supported .npy file: " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the bytes of a {@code .npy} file. */
    public static Npy parse(byte[] bytes) {
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new IllegalArgumentException("missing \\x93NUMPY magic");
        }
        int major = bytes[6] & 0xff;
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerStart;
        long headerLen;
        switch (major) {
            case 1 -> {
                headerLen = bb.getShort(8) & 0xffff;
                headerStart = 10;
            }
            case 2, 3 -> {
                if (bytes.length < 12) {
                    throw new IllegalArgumentException("truncated header length");
                }
                headerLen = bb.getInt(8) & 0xffffffffL;
                headerStart = 12;
            }
            default -> throw new IllegalArgumentException("unsupported .npy format version " + major);
        }
        if (headerStart + headerLen > bytes.length) {
            throw new IllegalArgumentException("truncated header");
        }
        // v1/v2 headers are latin-1, v3 is UTF-8; the keys and values we accept are ASCII either way.
        String header = new String(bytes, headerStart, (int) headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict = HeaderParser.parseDict(header);

        Object descr = dict.get("descr");
        Object fortran = dict.get("fortran_order");
        Object shapeObj = dict.get("shape");
        if (!(descr instanceof String d) || !(fortran instanceof Boolean f) || !(shapeObj instanceof List<?> s)) {
            throw new IllegalArgumentException("header needs 'descr' (str), 'fortran_order' (bool) and "
                    + "'shape' (tuple): " + header.strip());
        }
        if (f) {
            throw new IllegalArgumentException("Fortran-order arrays are not supported");
        }
        String dtype = normaliseDtype(d);
        int[] shape = new int[s.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(s.get(i) instanceof Long dim) || dim < 0 || dim > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("bad shape entry: " + s.get(i));
            }
            shape[i] = (int) (long) dim;
        }
        long need = count(shape) * itemSize(dtype);
        int dataStart = headerStart + (int) headerLen;
        if (bytes.length - dataStart != need) {
            throw new IllegalArgumentException("payload has " + (bytes.length - dataStart) + " bytes, expected "
                    + need);
        }
        return new Npy(dtype, shape, Arrays.copyOfRange(bytes, dataStart, bytes.length));
    }

    private static String normaliseDtype(String d) {
        return switch (d) {
            case "<f4" -> F4;
            case "<f8" -> F8;
            case "|u1", "<u1", "=u1", ">u1", "u1" -> U1;
            default -> throw new IllegalArgumentException("unsupported dtype '" + d
                    + "' (supported: <f4, <f8, |u1)");
        };
    }

    private static int itemSize(String dtype) {
        return switch (dtype) {
            case F4 -> 4;
            case F8 -> 8;
            case U1 -> 1;
            default -> throw new IllegalArgumentException("unsupported dtype " + dtype);
        };
    }

    private static long count(int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n *= s;
        }
        return n;
    }

    /** A copy of the shape. */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements (product of the shape; 1 for a scalar). */
    public int size() {
        return Math.toIntExact(count(shape));
    }

    /** The values as float32. {@code <f4} exactly; {@code <f8} is narrowed; {@code |u1} is widened (0..255). */
    public float[] floats() {
        int n = size();
        float[] out = new float[n];
        ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F4 -> bb.asFloatBuffer().get(out);
            case F8 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) bb.getDouble(i * 8);
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    out[i] = data[i] & 0xff;
                }
            }
        }
        return out;
    }

    /** The values as float64 (exact for all supported dtypes). */
    public double[] doubles() {
        int n = size();
        double[] out = new double[n];
        ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F8 -> bb.asDoubleBuffer().get(out);
            case F4 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = bb.getFloat(i * 4);
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    out[i] = data[i] & 0xff;
                }
            }
        }
        return out;
    }

    /** The raw bytes of a {@code |u1} array (Java bytes are signed: mask with {@code & 0xff}). */
    public byte[] bytes() {
        requireU1();
        return data.clone();
    }

    /** A {@code |u1} array as unsigned ints 0..255. */
    public int[] ints() {
        requireU1();
        int[] out = new int[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = data[i] & 0xff;
        }
        return out;
    }

    private void requireU1() {
        if (!U1.equals(dtype)) {
            throw new IllegalStateException("array is " + dtype + ", not |u1");
        }
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Npy n && dtype.equals(n.dtype) && Arrays.equals(shape, n.shape)
                && Arrays.equals(data, n.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Npy[" + dtype + " " + Arrays.toString(shape) + "]";
    }

    /**
     * Parses the Python literal subset that {@code numpy.lib.format} writes: a dict of str keys whose values are
     * str, bool, int or tuples/lists of those, with optional trailing commas and whitespace padding.
     */
    static final class HeaderParser {
        private final String s;
        private int pos;

        private HeaderParser(String s) {
            this.s = s;
        }

        static Map<String, Object> parseDict(String text) {
            HeaderParser p = new HeaderParser(text);
            p.skipWs();
            Object v = p.value();
            p.skipWs();
            if (p.pos != p.s.length()) {
                throw p.error("trailing characters");
            }
            if (!(v instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("header is not a dict: " + text.strip());
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> dict = (Map<String, Object>) m;
            return dict;
        }

        private Object value() {
            skipWs();
            if (pos >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(pos);
            if (c == '{') {
                return dict();
            }
            if (c == '(' || c == '[') {
                return sequence(c == '(' ? ')' : ']');
            }
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '-' || Character.isDigit(c)) {
                return integer();
            }
            if (s.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            throw error("unexpected character '" + c + "'");
        }

        private Map<String, Object> dict() {
            expect('{');
            Map<String, Object> map = new LinkedHashMap<>();
            while (true) {
                skipWs();
                if (peek() == '}') {
                    pos++;
                    return map;
                }
                Object key = value();
                if (!(key instanceof String k)) {
                    throw error("dict key must be a string");
                }
                skipWs();
                expect(':');
                Object v = value();
                if (map.put(k, v) != null) {
                    throw error("duplicate key '" + k + "'");
                }
                skipWs();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw error("expected ',' or '}'");
                }
            }
        }

        private List<Object> sequence(char close) {
            pos++;
            List<Object> items = new ArrayList<>();
            while (true) {
                skipWs();
                if (peek() == close) {
                    pos++;
                    return items;
                }
                items.add(value());
                skipWs();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != close) {
                    throw error("expected ',' or '" + close + "'");
                }
            }
        }

        private String string() {
            char quote = s.charAt(pos++);
            StringBuilder sb = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == quote) {
                    return sb.toString();
                }
                if (c == '\\') {
                    if (pos >= s.length()) {
                        break;
                    }
                    sb.append(s.charAt(pos++));
                } else {
                    sb.append(c);
                }
            }
            throw error("unterminated string");
        }

        private Long integer() {
            int start = pos;
            if (s.charAt(pos) == '-') {
                pos++;
            }
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            // Python 2 era files may write long literals such as 3L.
            String digits = s.substring(start, pos);
            if (pos < s.length() && (s.charAt(pos) == 'L' || s.charAt(pos) == 'l')) {
                pos++;
            }
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw error("bad integer '" + digits + "'");
            }
        }

        private char peek() {
            if (pos >= s.length()) {
                throw error("unexpected end");
            }
            return s.charAt(pos);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private void skipWs() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("bad .npy header at " + pos + ": " + what + " in " + s.strip());
        }
    }
}
