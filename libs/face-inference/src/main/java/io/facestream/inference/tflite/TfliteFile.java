package io.facestream.inference.tflite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the constant tensors (weights) of a TFLite model straight from its flatbuffer, so the weights can
 * be copied into DJL blocks without any TensorFlow code at run time.
 *
 * <p>Only the parts of the TFLite schema that say which op uses which weights are decoded:
 * {@code Model.operator_codes}, {@code Model.subgraphs[0]} (tensors and operators) and {@code Model.buffers}.
 * Field numbers follow TFLite's {@code schema.fbs} (schema version 3).
 */
public final class TfliteFile {

    private static final int FLOAT32 = 0;
    private static final String IDENTIFIER = "TFL3";

    private final String description;
    private final List<TfliteOperator> operators;
    private final Map<Integer, TfliteTensor> constants;

    private TfliteFile(String description, List<TfliteOperator> operators, Map<Integer, TfliteTensor> constants) {
        this.description = description;
        this.operators = operators;
        this.constants = constants;
    }

    public static TfliteFile read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    static TfliteFile parse(byte[] bytes, String source) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 8 || !IDENTIFIER.equals(new String(bytes, 4, 4, StandardCharsets.US_ASCII))) {
            throw new IOException(source + " is not a TFLite flatbuffer (identifier TFL3 missing)");
        }
        try {
            Table model = Table.root(buf);
            int subgraphs = model.vector(2).orElseThrow(() -> new IOException(source + " has no subgraph"));
            Table subgraph = Table.at(buf, vectorTable(buf, subgraphs, 0));
            int buffers = model.vector(4).orElseThrow(() -> new IOException(source + " has no buffers"));
            int tensorVector = subgraph.vector(0).orElseThrow(() -> new IOException(source + " has no tensors"));
            Map<Integer, TfliteTensor> constants = new HashMap<>();
            for (int i = 0; i < buf.getInt(tensorVector); i++) {
                Table tensor = Table.at(buf, vectorTable(buf, tensorVector, i));
                int index = i;
                readConstant(buf, tensor, buffers).ifPresent(t -> constants.put(index, t));
            }
            int[] opcodes = readOpcodes(buf, model);
            List<TfliteOperator> operators = new ArrayList<>();
            int opVector = subgraph.vector(3).orElseThrow(() -> new IOException(source + " has no operators"));
            for (int i = 0; i < buf.getInt(opVector); i++) {
                Table op = Table.at(buf, vectorTable(buf, opVector, i));
                int code = opcodes[op.scalarInt(0, 0)];
                operators.add(new TfliteOperator(code,
                        op.vector(1).map(v -> intVector(buf, v)).orElse(new int[0]),
                        op.vector(2).map(v -> intVector(buf, v)).orElse(new int[0])));
            }
            return new TfliteFile(model.string(3).orElse(""), List.copyOf(operators), Map.copyOf(constants));
        } catch (IndexOutOfBoundsException e) {
            throw new IOException(source + " is a damaged TFLite flatbuffer", e);
        }
    }

    /** Builtin operator code per opcode index; old TOCO files fill only the deprecated byte field. */
    private static int[] readOpcodes(ByteBuffer buf, Table model) {
        int vector = model.vector(1).orElseThrow();
        int[] codes = new int[buf.getInt(vector)];
        for (int i = 0; i < codes.length; i++) {
            Table code = Table.at(buf, vectorTable(buf, vector, i));
            codes[i] = Math.max(code.scalarByte(0, (byte) 0), code.scalarInt(3, 0));
        }
        return codes;
    }

    /** A tensor with float32 data stored in the file; activations (no data) are skipped. */
    private static Optional<TfliteTensor> readConstant(ByteBuffer buf, Table tensor, int buffers) {
        int type = tensor.scalarByte(1, (byte) FLOAT32);
        long bufferIndex = tensor.scalarInt(2, 0) & 0xFFFFFFFFL;
        String name = tensor.string(3).orElse("");
        if (type != FLOAT32 || bufferIndex == 0) {
            return Optional.empty();
        }
        Table buffer = Table.at(buf, vectorTable(buf, buffers, (int) bufferIndex));
        Optional<Integer> data = buffer.vector(0);
        if (data.isEmpty() || buf.getInt(data.get()) == 0) {
            return Optional.empty();
        }
        int[] shape = tensor.vector(0).map(v -> intVector(buf, v)).orElse(new int[0]);
        int byteLength = buf.getInt(data.get());
        float[] values = new float[byteLength / Float.BYTES];
        buf.slice(data.get() + 4, byteLength).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return Optional.of(new TfliteTensor(name, shape, values));
    }

    public String description() {
        return description;
    }

    /** The operators of the main subgraph, in execution order. */
    public List<TfliteOperator> operators() {
        return operators;
    }

    /** The float32 constant at a tensor index, if that tensor holds data. */
    public Optional<TfliteTensor> constant(int tensorIndex) {
        return Optional.ofNullable(constants.get(tensorIndex));
    }

    /** Total number of float32 constant values (weights, biases, slopes). */
    public long parameterCount() {
        return constants.values().stream().mapToLong(t -> t.data().length).sum();
    }

    private static int vectorTable(ByteBuffer buf, int vector, int index) {
        int length = buf.getInt(vector);
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("vector index " + index + " of " + length);
        }
        int slot = vector + 4 + 4 * index;
        return slot + buf.getInt(slot);
    }

    private static int[] intVector(ByteBuffer buf, int vector) {
        int[] out = new int[buf.getInt(vector)];
        for (int i = 0; i < out.length; i++) {
            out[i] = buf.getInt(vector + 4 + 4 * i);
        }
        return out;
    }

    /** A flatbuffer table: a position plus its vtable, which says where each field lives. */
    private record Table(ByteBuffer buf, int pos, int vtable) {

        static Table root(ByteBuffer buf) {
            return at(buf, buf.getInt(0));
        }

        static Table at(ByteBuffer buf, int pos) {
            return new Table(buf, pos, pos - buf.getInt(pos));
        }

        /** Absolute position of field {@code id}, or 0 when the field is absent (default value). */
        int field(int id) {
            int vtableSize = Short.toUnsignedInt(buf.getShort(vtable));
            int entry = 4 + 2 * id;
            if (entry >= vtableSize) {
                return 0;
            }
            int offset = Short.toUnsignedInt(buf.getShort(vtable + entry));
            return offset == 0 ? 0 : pos + offset;
        }

        /** Position of the length prefix of a vector (or string) field. */
        Optional<Integer> vector(int id) {
            int f = field(id);
            return f == 0 ? Optional.empty() : Optional.of(f + buf.getInt(f));
        }

        Optional<String> string(int id) {
            return vector(id).map(v -> {
                byte[] b = new byte[buf.getInt(v)];
                buf.get(v + 4, b);
                return new String(b, StandardCharsets.UTF_8);
            });
        }

        byte scalarByte(int id, byte defaultValue) {
            int f = field(id);
            return f == 0 ? defaultValue : buf.get(f);
        }

        int scalarInt(int id, int defaultValue) {
            int f = field(id);
            return f == 0 ? defaultValue : buf.getInt(f);
        }
    }
}
