package io.facestream.vision.motion;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link MotionGate} per camera, created on a camera's first frame with that camera's settings. At most
 * {@code maxCameras} are kept: the least recently seen camera's gate is closed and forgotten, and that camera
 * starts over with a first frame (detected) when it comes back. Thread-safe (one lock; the work per frame is
 * small).
 */
public final class MotionGates implements AutoCloseable {

    private final Function<String, MotionConfig> configs;
    private final LinkedHashMap<String, MotionGate> gates;

    /** @param configs the settings of a camera, by camera id (defaults with per-camera overrides) */
    public MotionGates(int maxCameras, Function<String, MotionConfig> configs) {
        if (maxCameras < 1) {
            throw new IllegalArgumentException("maxCameras must be positive, was " + maxCameras);
        }
        this.configs = configs;
        this.gates = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, MotionGate> eldest) {
                if (size() > maxCameras) {
                    eldest.getValue().close();
                    return true;
                }
                return false;
            }
        };
    }

    /** The settings this camera's gate runs with. */
    public MotionConfig config(String cameraId) {
        return configs.apply(cameraId);
    }

    /** See {@link MotionGate#decide}. */
    public synchronized MotionDecision decide(String cameraId, org.opencv.core.Mat image, long capturedAtMs) {
        return gates.computeIfAbsent(cameraId, id -> new MotionGate(configs.apply(id))).decide(image, capturedAtMs);
    }

    public synchronized int size() {
        return gates.size();
    }

    @Override
    public synchronized void close() {
        gates.values().forEach(MotionGate::close);
        gates.clear();
    }
}
