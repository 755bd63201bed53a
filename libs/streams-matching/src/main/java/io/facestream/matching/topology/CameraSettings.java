package io.facestream.matching.topology;

import io.facestream.pipeline.cameras.CameraChange;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-camera settings an operator changes at run time: the match threshold (a cosine) and whether the camera's
 * faces are matched at all. Read by the matcher for every face, so a change applies to the next one.
 * Thread-safe. Every matcher instance holds one, kept in step with the compacted {@code cameras} topic by
 * {@link CameraSettingsReplica}, so a change reaches every instance and survives restarts.
 */
public final class CameraSettings {

    /** A camera's settings; an absent threshold means the configured default. */
    public record Setting(Optional<Double> threshold, boolean enabled) {

        public Setting {
            // the camera API's rule (CameraChange); the configured default may still be lower, for experiments
            threshold.flatMap(CameraChange::thresholdProblem).ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
        }
    }

    private final Map<String, Setting> settings = new ConcurrentHashMap<>();

    public void put(String cameraId, Setting setting) {
        settings.put(cameraId, setting);
    }

    /** Back to the configured defaults. */
    public void remove(String cameraId) {
        settings.remove(cameraId);
    }

    public Optional<Setting> get(String cameraId) {
        return Optional.ofNullable(settings.get(cameraId));
    }

    public Map<String, Setting> all() {
        return Map.copyOf(settings);
    }

    double threshold(String cameraId, double configured) {
        Setting s = settings.get(cameraId);
        return s == null ? configured : s.threshold().orElse(configured);
    }

    boolean enabled(String cameraId) {
        Setting s = settings.get(cameraId);
        return s == null || s.enabled();
    }
}
