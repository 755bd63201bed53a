package io.facestream.inference.model;

import java.util.Locale;

/**
 * Which engine runs the MTCNN detector. The embedder always runs on PyTorch (training and the GPU need it).
 */
public enum DetectorEngine {
    /** The original {@code .tflite} files on the TensorFlow Lite runtime with XNNPACK: the fast CPU path. */
    TFLITE,
    /** The DJL/PyTorch port on the models' device (the GPU when there is one). */
    PYTORCH;

    /** Parses {@code tflite} or {@code pytorch}, any case. */
    public static DetectorEngine parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown detector engine '" + name + "': tflite or pytorch", e);
        }
    }

    /**
     * Intra-op threads of a TFLite interpreter by default: one. XNNPACK's thread pool spins between operators, and on
     * a small machine two spinning pools (or one beside libtorch's) slow each other down: with two threads a frame
     * took 48-130 ms beside other work where one thread took 34 ms (README, "Performance"). Throughput comes from
     * several detector threads instead.
     */
    public static final int DEFAULT_THREADS = 1;
}
