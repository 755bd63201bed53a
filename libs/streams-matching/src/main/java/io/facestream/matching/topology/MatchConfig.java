package io.facestream.matching.topology;

import java.util.Map;

/**
 * How matches are decided.
 *
 * @param topK candidates reported per face, at most {@link MatchBounds#MAX_TOP_K}
 * @param defaultThreshold cosine at or above which the best candidate is KNOWN
 * @param cameraThresholds per-camera overrides of the threshold
 * @param dimension expected embedding length
 */
public record MatchConfig(int topK, double defaultThreshold, Map<String, Double> cameraThresholds, int dimension) {

    public MatchConfig {
        if (topK < 1 || topK > MatchBounds.MAX_TOP_K) {
            throw new IllegalArgumentException("topK must be in 1.." + MatchBounds.MAX_TOP_K + ", got " + topK);
        }
        if (!(defaultThreshold >= -1 && defaultThreshold <= 1)) {
            throw new IllegalArgumentException("threshold is a cosine in [-1, 1], got " + defaultThreshold);
        }
        cameraThresholds = Map.copyOf(cameraThresholds);
    }

    public double thresholdFor(String cameraId) {
        return cameraThresholds.getOrDefault(cameraId, defaultThreshold);
    }
}
