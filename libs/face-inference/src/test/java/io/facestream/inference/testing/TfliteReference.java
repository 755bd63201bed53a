package io.facestream.inference.testing;

import io.facestream.inference.interpreter.TfliteRuntime;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Objects;
import org.tensorflow.lite.DataType;
import org.tensorflow.lite.Interpreter;
import org.tensorflow.lite.Tensor;

/**
 * Test-scope harness around the <em>real</em> TensorFlow Lite interpreter, used as the reference for the DJL ports.
 *
 * <p>It drives {@link org.tensorflow.lite.Interpreter} (Java API classes from {@code ai.djl.tflite:tflite-engine})
 * directly with {@code libtensorflowlite_jni.so} from {@code ai.djl.tflite:tflite-native-cpu:2.6.2:linux-x86_64},
 * the same combination that produced {@code shared/models/golden/*.tflite.npy}. The DJL TfLite <em>engine</em>
 * ({@code ai.djl.tflite.engine.*}) is deliberately not used: it is built against DJL api 0.26 while the project
 * uses 0.36, and its native loader may try to download.
 *
 * <p>Native library: loaded once per JVM by {@link TfliteRuntime}, which the production detector uses too.
 *
 * <p>Runs with 1 thread, float32, XNNPACK off, no NNAPI, no fp16 relaxation: the settings the golden tensors were
 * made with. Not thread-safe.
 *
 * <p>Input sizes: PNet (H and W) and the RNet/ONet batch are resizable; {@link #run} resizes the input tensor when
 * the given shape differs from the current one. <b>MobileFaceNet must be fed batch 2</b> ({@code [2,112,112,3]}):
 * its graph has a RESHAPE fixed to {@code [2,192]}, so {@code allocateTensors} fails for any other batch; to embed a
 * single face, duplicate it and use row 0.
 */
public final class TfliteReference implements AutoCloseable {

    private final Path modelFile;
    private final Interpreter interpreter;
    private int[][] outputShapes;
    private boolean closed;

    private TfliteReference(Path modelFile, Interpreter interpreter) {
        this.modelFile = modelFile;
        this.interpreter = interpreter;
    }

    /**
     * Loads the model with the real TFLite runtime (loading the native library first if needed).
     *
     * @throws IllegalArgumentException when the model has not exactly one float32 input or a non-float32 output
     */
    public static TfliteReference open(Path tfliteFile) {
        return open(tfliteFile, false);
    }

    /**
     * As {@link #open(Path)}, with the XNNPACK delegate on or off: on is what the production detector runs
     * ({@code TfliteMtcnnNetworks}), held to the same golden tensors.
     */
    public static TfliteReference open(Path tfliteFile, boolean xnnpack) {
        Objects.requireNonNull(tfliteFile, "tfliteFile");
        if (!Files.isRegularFile(tfliteFile)) {
            throw new IllegalArgumentException("no such model file: " + tfliteFile);
        }
        Interpreter interpreter = TfliteRuntime.open(tfliteFile, 1, xnnpack);
        try {
            if (interpreter.getInputTensorCount() != 1) {
                throw new IllegalArgumentException(tfliteFile + " has " + interpreter.getInputTensorCount()
                        + " inputs; only single-input models are supported");
            }
            requireFloat32(interpreter.getInputTensor(0), tfliteFile);
            for (int i = 0; i < interpreter.getOutputTensorCount(); i++) {
                requireFloat32(interpreter.getOutputTensor(i), tfliteFile);
            }
            return new TfliteReference(tfliteFile, interpreter);
        } catch (RuntimeException e) {
            interpreter.close();
            throw e;
        }
    }

    private static void requireFloat32(Tensor t, Path file) {
        if (t.dataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(file + ": tensor '" + t.name() + "' is " + t.dataType()
                    + ", only float32 is supported");
        }
    }

    /**
     * Runs the model on one NHWC float32 tensor.
     *
     * @param nhwcInput  the input values, C order, exactly {@code product(inputShape)} of them
     * @param inputShape the input shape, e.g. {@code [1,H,W,3]} ({@code [1,W,H,3]} for the transposed MTCNN
     *                   convention); the input tensor is resized when it differs from the current shape
     * @return every output tensor, in the interpreter's output order, flattened in C order; see
     *         {@link #outputShapes()} and {@link #outputNames()} for the matching shapes and names
     * @throws IllegalStateException when TFLite cannot allocate or run for this shape (e.g. MobileFaceNet with a
     *                               batch other than 2)
     */
    public float[][] run(float[] nhwcInput, int[] inputShape) {
        checkOpen();
        Objects.requireNonNull(nhwcInput, "nhwcInput");
        long n = 1;
        for (int d : inputShape) {
            if (d <= 0) {
                throw new IllegalArgumentException("bad input shape " + Arrays.toString(inputShape));
            }
            n *= d;
        }
        if (n != nhwcInput.length) {
            throw new IllegalArgumentException("input has " + nhwcInput.length + " values, shape "
                    + Arrays.toString(inputShape) + " needs " + n);
        }
        outputShapes = null;
        if (!Arrays.equals(interpreter.getInputTensor(0).shape(), inputShape)) {
            try {
                interpreter.resizeInput(0, inputShape.clone());
                interpreter.allocateTensors();
            } catch (RuntimeException e) {
                throw new IllegalStateException("TFLite cannot run " + modelFile.getFileName() + " with input shape "
                        + Arrays.toString(inputShape) + " (MobileFaceNet needs batch 2): " + e.getMessage(), e);
            }
        }

        ByteBuffer in = ByteBuffer.allocateDirect(nhwcInput.length * 4).order(ByteOrder.nativeOrder());
        in.asFloatBuffer().put(nhwcInput);
        in.rewind();
        try {
            // Empty output map: results are read from the output tensors below, whatever their final shapes.
            interpreter.runForMultipleInputsOutputs(new Object[] {in}, new HashMap<>());
        } catch (RuntimeException e) {
            throw new IllegalStateException("TFLite failed to run " + modelFile.getFileName() + " with input shape "
                    + Arrays.toString(inputShape) + ": " + e.getMessage(), e);
        }

        int count = interpreter.getOutputTensorCount();
        float[][] outputs = new float[count][];
        int[][] shapes = new int[count][];
        for (int i = 0; i < count; i++) {
            Tensor t = interpreter.getOutputTensor(i);
            shapes[i] = t.shape();
            float[] values = new float[t.numElements()];
            ByteBuffer buf = t.asReadOnlyBuffer();
            buf.rewind();
            buf.order(ByteOrder.nativeOrder()).asFloatBuffer().get(values);
            outputs[i] = values;
        }
        outputShapes = shapes;
        return outputs;
    }

    /** The output shapes of the last {@link #run}, in output order. */
    public int[][] outputShapes() {
        checkOpen();
        if (outputShapes == null) {
            throw new IllegalStateException("call run() first");
        }
        int[][] copy = new int[outputShapes.length][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = outputShapes[i].clone();
        }
        return copy;
    }

    /** The output tensor names as stored in the flatbuffer, in output order. */
    public String[] outputNames() {
        checkOpen();
        String[] names = new String[interpreter.getOutputTensorCount()];
        for (int i = 0; i < names.length; i++) {
            names[i] = interpreter.getOutputTensor(i).name();
        }
        return names;
    }

    /** The input tensor name. */
    public String inputName() {
        checkOpen();
        return interpreter.getInputTensor(0).name();
    }

    /** The current input shape (the stored one until {@link #run} resizes it). */
    public int[] inputShape() {
        checkOpen();
        return interpreter.getInputTensor(0).shape();
    }

    /** The TFLite runtime version reported by the native library, e.g. {@code 2.6.2}. */
    public static String runtimeVersion() {
        return TfliteRuntime.version();
    }

    /** Where the native library was loaded from. */
    public static Path nativeLibraryPath() {
        return TfliteRuntime.nativeLibraryPath();
    }

    /** Loads {@code libtensorflowlite_jni.so} once per JVM ({@link TfliteRuntime#loadNative()}). */
    public static void loadNative() {
        TfliteRuntime.loadNative();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            interpreter.close();
        }
    }

    @Override
    public String toString() {
        return "TfliteReference[" + modelFile.getFileName() + "]";
    }
}
