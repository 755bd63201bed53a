package io.facestream.inference.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Objects;
import java.util.Properties;
import org.tensorflow.lite.DataType;
import org.tensorflow.lite.Interpreter;
import org.tensorflow.lite.Tensor;
import org.tensorflow.lite.TensorFlowLite;

/**
 * Test-scope harness around the <em>real</em> TensorFlow Lite interpreter, used as the reference for the DJL ports.
 *
 * <p>It drives {@link org.tensorflow.lite.Interpreter} (Java API classes from {@code ai.djl.tflite:tflite-engine})
 * directly with {@code libtensorflowlite_jni.so} from {@code ai.djl.tflite:tflite-native-cpu:2.6.2:linux-x86_64},
 * the same combination that produced {@code shared/models/golden/*.tflite.npy}. The DJL TfLite <em>engine</em>
 * ({@code ai.djl.tflite.engine.*}) is deliberately not used: it is built against DJL api 0.26 while the project
 * uses 0.36, and its native loader may try to download.
 *
 * <p>Native library: the org.tensorflow.lite classes never call {@code System.loadLibrary} themselves (in that jar
 * the DJL engine's loader does it). {@link #loadNative()} therefore copies {@code native/lib/libtensorflowlite_jni.so}
 * from the classpath to a fresh temporary directory and {@link System#load}s it, once per JVM. No network access.
 * System property {@value #JNI_PROPERTY} may point at an already extracted library instead.
 *
 * <p>Runs with 1 thread, float32, default options (no NNAPI, no fp16 relaxation). Not thread-safe.
 *
 * <p>Input sizes: PNet (H and W) and the RNet/ONet batch are resizable; {@link #run} resizes the input tensor when
 * the given shape differs from the current one. <b>MobileFaceNet must be fed batch 2</b> ({@code [2,112,112,3]}):
 * its graph has a RESHAPE fixed to {@code [2,192]}, so {@code allocateTensors} fails for any other batch; to embed a
 * single face, duplicate it and use row 0.
 */
public final class TfliteReference implements AutoCloseable {

    /** System property: path of a {@code libtensorflowlite_jni.so} to load instead of the classpath copy. */
    public static final String JNI_PROPERTY = "facestream.tflite.jni";

    static final String NATIVE_RESOURCE = "native/lib/libtensorflowlite_jni.so";
    static final String NATIVE_PROPERTIES = "native/lib/tflite.properties";

    private static volatile Path loadedFrom;

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
        Objects.requireNonNull(tfliteFile, "tfliteFile");
        if (!Files.isRegularFile(tfliteFile)) {
            throw new IllegalArgumentException("no such model file: " + tfliteFile);
        }
        loadNative();
        Interpreter.Options options = new Interpreter.Options();
        options.setNumThreads(1);
        options.setUseNNAPI(false);
        options.setAllowFp16PrecisionForFp32(false);
        Interpreter interpreter = new Interpreter(tfliteFile.toFile(), options);
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
        loadNative();
        return TensorFlowLite.runtimeVersion();
    }

    /** Where the native library was loaded from, once {@link #loadNative()} has run. */
    public static Path nativeLibraryPath() {
        loadNative();
        return loadedFrom;
    }

    /**
     * Loads {@code libtensorflowlite_jni.so} once per JVM: from {@value #JNI_PROPERTY} when set, otherwise copied from
     * the {@code tflite-native-cpu} jar on the classpath into a new temporary directory (deleted on exit).
     */
    public static void loadNative() {
        if (loadedFrom != null) {
            return;
        }
        synchronized (TfliteReference.class) {
            if (loadedFrom != null) {
                return;
            }
            Path lib;
            String override = System.getProperty(JNI_PROPERTY);
            if (override != null && !override.isBlank()) {
                lib = Path.of(override).toAbsolutePath();
            } else {
                lib = extractFromClasspath();
            }
            System.load(lib.toString());
            loadedFrom = lib;
        }
    }

    private static Path extractFromClasspath() {
        ClassLoader cl = TfliteReference.class.getClassLoader();
        URL url = cl.getResource(NATIVE_RESOURCE);
        if (url == null) {
            throw new IllegalStateException(NATIVE_RESOURCE + " is not on the classpath: add test dependency "
                    + "ai.djl.tflite:tflite-native-cpu:2.6.2:linux-x86_64 (only linux-x86_64 is supported; os.name="
                    + System.getProperty("os.name") + ", os.arch=" + System.getProperty("os.arch") + ")");
        }
        String version = "unknown";
        try (InputStream p = cl.getResourceAsStream(NATIVE_PROPERTIES)) {
            if (p != null) {
                Properties props = new Properties();
                props.load(p);
                version = props.getProperty("version", version);
            }
        } catch (IOException e) {
            // The version only names the directory.
        }
        try {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
            Files.createDirectories(tmp); // surefire points java.io.tmpdir at .cache/tmp, which may not exist yet
            Path dir = Files.createTempDirectory(tmp, "facestream-tflite-" + version.replaceAll("[^A-Za-z0-9.-]", "_")
                    + "-");
            Path lib = dir.resolve("libtensorflowlite_jni.so");
            try (InputStream in = url.openStream()) {
                Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
            }
            dir.toFile().deleteOnExit();
            lib.toFile().deleteOnExit(); // registered last, so deleted first
            return lib;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + url, e);
        }
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
