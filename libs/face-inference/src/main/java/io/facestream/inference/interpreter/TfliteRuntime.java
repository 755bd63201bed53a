package io.facestream.inference.interpreter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Properties;
import org.tensorflow.lite.Interpreter;
import org.tensorflow.lite.TensorFlowLite;

/**
 * The TensorFlow Lite runtime ({@code libtensorflowlite_jni.so} 2.6.2 from {@code ai.djl.tflite:tflite-native-cpu},
 * driven through its own Java API classes): the runtime the golden tensors came from, and the detector's CPU engine.
 *
 * <p>The DJL TfLite <em>engine</em> is deliberately not used: it is built against DJL api 0.26 while the project uses
 * 0.36, and its loader may try to download. The Java classes never load the library themselves, so
 * {@link #loadNative()} copies it from the classpath to a fresh temporary directory and loads it once per JVM; no
 * network access. System property {@value #JNI_PROPERTY} may point at an already extracted library instead.
 */
public final class TfliteRuntime {

    /** System property: path of a {@code libtensorflowlite_jni.so} to load instead of the classpath copy. */
    public static final String JNI_PROPERTY = "facestream.tflite.jni";

    static final String NATIVE_RESOURCE = "native/lib/libtensorflowlite_jni.so";
    static final String NATIVE_PROPERTIES = "native/lib/tflite.properties";

    private static volatile Path loadedFrom;

    private TfliteRuntime() {
    }

    /**
     * A new interpreter for {@code model}.
     *
     * @param threads  intra-op threads (≥ 1)
     * @param xnnpack  run float ops through the XNNPACK delegate (NHWC kernels, fused activations); off keeps
     *                 TFLite's reference-like built-in kernels, the exact setting the golden tensors were made with
     */
    public static Interpreter open(Path model, int threads, boolean xnnpack) {
        Objects.requireNonNull(model, "model");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("no such model file: " + model);
        }
        loadNative();
        Interpreter.Options options = new Interpreter.Options();
        options.setNumThreads(threads);
        options.setUseNNAPI(false);
        options.setAllowFp16PrecisionForFp32(false);
        options.setUseXNNPACK(xnnpack);
        return new Interpreter(model.toFile(), options);
    }

    /** The runtime version reported by the native library, e.g. {@code 2.6.2}. */
    public static String version() {
        loadNative();
        return TensorFlowLite.runtimeVersion();
    }

    /** Where the native library was loaded from. */
    public static Path nativeLibraryPath() {
        loadNative();
        return loadedFrom;
    }

    /** Loads {@code libtensorflowlite_jni.so} once per JVM. */
    public static void loadNative() {
        if (loadedFrom != null) {
            return;
        }
        synchronized (TfliteRuntime.class) {
            if (loadedFrom != null) {
                return;
            }
            String override = System.getProperty(JNI_PROPERTY);
            Path lib = override != null && !override.isBlank() ? Path.of(override).toAbsolutePath()
                    : extractFromClasspath();
            System.load(lib.toString());
            loadedFrom = lib;
        }
    }

    private static Path extractFromClasspath() {
        ClassLoader cl = TfliteRuntime.class.getClassLoader();
        URL url = cl.getResource(NATIVE_RESOURCE);
        if (url == null) {
            throw new IllegalStateException(NATIVE_RESOURCE + " is not on the classpath: it comes with "
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
            Files.createDirectories(tmp);
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
}
