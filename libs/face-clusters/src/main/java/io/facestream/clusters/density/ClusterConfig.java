package io.facestream.clusters.density;

import java.time.Duration;

/**
 * The clustering rule and its bounds (README, "Unknown clusters").
 *
 * @param maxDistance cosine distance (1 − cosine) within which two faces are neighbours
 * @param minFaces a face is a core when at least this many faces, itself included, lie within
 *     {@code maxDistance} of it; a cluster is the cores that reach one another and the faces next to them
 * @param maxFaces faces held in all (about 1 KB each plus the crop); beyond it the oldest face is dropped
 * @param retention faces captured longer than this before the newest face are dropped
 * @param representatives best faces (by quality) a cluster shows
 */
public record ClusterConfig(double maxDistance, int minFaces, int maxFaces, Duration retention, int representatives) {

    /** The most faces one instance may be configured to hold (a neighbour search scans them all). */
    public static final int MAX_FACES_LIMIT = 100_000;

    public ClusterConfig {
        if (!(maxDistance > 0 && maxDistance < 2)) {
            throw new IllegalArgumentException("maxDistance must be in (0, 2), got " + maxDistance);
        }
        if (minFaces < 2) {
            throw new IllegalArgumentException("minFaces must be at least 2, got " + minFaces);
        }
        if (maxFaces < minFaces || maxFaces > MAX_FACES_LIMIT) {
            throw new IllegalArgumentException("maxFaces must be from minFaces to " + MAX_FACES_LIMIT + ", got " + maxFaces);
        }
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive");
        }
        if (representatives < 1 || representatives > 16) {
            throw new IllegalArgumentException("representatives must be from 1 to 16, got " + representatives);
        }
    }
}
