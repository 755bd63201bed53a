package io.facestream.matching.topology;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-camera settings an operator changes at run time: the match threshold (a cosine) and whether the camera's
 * faces are matched at all. Read by the matcher for every face, so a change applies to the next one.
 * Thread-safe. Held by the matcher instance (several matcher instances would share it through a compacted
 * topic; the all-in-one mode has one).
 */
public final class CameraSettings {

    /** A camera's settings; an absent threshold means the configured default. */
    public record Setting(Optional<Double> threshold, boolean enabled) {
    }

    private final Map<String, Setting> settings = new ConcurrentHashMap<>();

    public void put(String cameraId, Setting setting) {
        setting.threshold().ifPresent(t -> {
            if (!(t >= -1 && t <= 1)) {
                throw new IllegalArgumentException("a threshold is a cosine in [-1, 1], got " + t);
            }
        });
        settings.put(cameraId, setting);
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
