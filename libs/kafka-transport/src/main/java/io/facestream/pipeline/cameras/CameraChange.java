package io.facestream.pipeline.cameras;

import io.facestream.schema.CameraSetting;
import java.time.Instant;
import java.util.Optional;

/**
 * An operator's change to one camera's settings, checked and merged with what the camera had: the rules of the
 * camera API, without HTTP or Kafka. A field left out keeps its earlier value (or the default: no threshold of
 * its own, matched, motion as the detector is configured).
 *
 * @param threshold the new match threshold (a cosine in [0, 1]), or null to keep it
 * @param enabled whether the camera is matched, or null to keep it
 */
public record CameraChange(Double threshold, Boolean enabled) {

    /**
     * @throws IllegalArgumentException with the reason the client is told (a 400)
     */
    public CameraChange {
        if (threshold == null && enabled == null) {
            throw new IllegalArgumentException("send 'threshold' (a cosine in [0, 1]) and/or 'enabled'");
        }
        if (threshold != null) {
            thresholdProblem(threshold).ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
        }
    }

    /**
     * Why an operator's threshold is refused, or empty. Operators set a similarity in [0, 1]: below 0 nearly
     * every face would be KNOWN as its nearest person, and NaN would never match.
     */
    public static Optional<String> thresholdProblem(double threshold) {
        return threshold >= 0 && threshold <= 1 ? Optional.empty()
                : Optional.of("'threshold' must be a cosine in [0, 1], got " + threshold);
    }

    /** The camera's new settings: this change over {@code current} (empty: the camera had none of its own). */
    public CameraSetting applyTo(String cameraId, Optional<CameraSetting> current, String operator, Instant at) {
        CameraSetting.Builder next = current.map(CameraSetting::newBuilder)
                .orElseGet(() -> CameraSetting.newBuilder().setThreshold(null).setEnabled(true).setMotionEnabled(null));
        if (threshold != null) {
            next.setThreshold(threshold);
        }
        if (enabled != null) {
            next.setEnabled(enabled);
        }
        return next.setCameraId(cameraId).setUpdatedBy(operator).setUpdatedAt(at).build();
    }
}
