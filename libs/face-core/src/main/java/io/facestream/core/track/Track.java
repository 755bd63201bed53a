package io.facestream.core.track;

import io.facestream.core.geometry.BoundingBox;
import java.util.Optional;

/**
 * One face track of a camera: the faces that {@link FaceTracker} judged to be one person's, in one visit. Its
 * id is the id of its first face, so replaying the same faces after a crash makes the same track. Mutated only
 * by the tracker (and its codec); readers get the values.
 */
public final class Track {

    /** Weight of a new velocity measurement against the running estimate. */
    private static final double VELOCITY_SMOOTHING = 0.5;

    /** How much larger a face of equal quality must be to become the best face. */
    private static final double BEST_FACE_AREA_GAIN = 1.25;

    final String id;
    final String modelVersion;
    final long firstSeenMs;
    long lastSeenMs;
    String lastFrameId;
    BoundingBox lastBox;
    /** Velocity of the box centre, pixels per millisecond; 0 until two boxes were seen. */
    double vx;
    double vy;
    /** Quality-weighted sum of the faces' (unit) embeddings; its direction is the track's appearance. */
    final float[] embeddingSum;
    int faceCount;
    String bestFaceId;
    String bestFrameId;
    BoundingBox bestBox;
    double bestWeight;
    final TrackEvidence evidence;
    /** What the last sighting written for this track said ({@link TrackDecision.Verdict#outcomeKey()}), or null. */
    String reportedOutcome;
    /** The best face id the last sighting written for this track named, or null. */
    String reportedBestFaceId;

    Track(String id, String modelVersion, long firstSeenMs, int dimension, int maxCandidates) {
        this.id = id;
        this.modelVersion = modelVersion;
        this.firstSeenMs = firstSeenMs;
        this.lastSeenMs = firstSeenMs;
        this.embeddingSum = new float[dimension];
        this.evidence = new TrackEvidence(maxCandidates);
    }

    /** Adds a face: appearance, motion, evidence and the best face. */
    void add(TrackedFace face) {
        Optional<BoundingBox> box = face.box();
        long dt = face.capturedAtMs() - lastSeenMs;
        if (box.isPresent() && lastBox != null && dt > 0) {
            double mx = (centreX(box.get()) - centreX(lastBox)) / dt;
            double my = (centreY(box.get()) - centreY(lastBox)) / dt;
            boolean first = faceCount < 2 || (vx == 0 && vy == 0);
            vx = first ? mx : VELOCITY_SMOOTHING * mx + (1 - VELOCITY_SMOOTHING) * vx;
            vy = first ? my : VELOCITY_SMOOTHING * my + (1 - VELOCITY_SMOOTHING) * vy;
        }
        if (box.isPresent()) {
            lastBox = box.get();
        }
        lastSeenMs = Math.max(lastSeenMs, face.capturedAtMs());
        lastFrameId = face.frameId();
        float[] e = face.embedding();
        for (int i = 0; i < embeddingSum.length; i++) {
            embeddingSum[i] += (float) (face.weight() * e[i]);
        }
        faceCount++;
        evidence.add(face.weight(), face.candidates());
        if (bestFaceId == null || face.weight() > bestWeight
                || (face.weight() == bestWeight && larger(box.orElse(null), bestBox))) {
            bestFaceId = face.faceId();
            bestFrameId = face.frameId();
            bestBox = box.orElse(null);
            bestWeight = face.weight();
        }
    }

    /**
     * Between faces of equal quality (e.g. when nobody measured it) a clearly larger one is the better picture;
     * "clearly", so a face that grows by a pixel does not count as a new best face.
     */
    private static boolean larger(BoundingBox candidate, BoundingBox best) {
        return candidate != null && (best == null || candidate.area() > BEST_FACE_AREA_GAIN * best.area());
    }

    /** Cosine between a unit embedding and the track's mean appearance. */
    double similarity(float[] unit) {
        double dot = 0, norm = 0;
        for (int i = 0; i < embeddingSum.length; i++) {
            dot += (double) embeddingSum[i] * unit[i];
            norm += (double) embeddingSum[i] * embeddingSum[i];
        }
        return norm == 0 ? 0 : dot / Math.sqrt(norm);
    }

    /** The last box moved on by the velocity to the given time. */
    BoundingBox predictedBox(long atMs) {
        long dt = Math.max(0, atMs - lastSeenMs);
        double dx = vx * dt, dy = vy * dt;
        return new BoundingBox(lastBox.x1() + dx, lastBox.y1() + dy, lastBox.x2() + dx, lastBox.y2() + dy);
    }

    private static double centreX(BoundingBox b) {
        return (b.x1() + b.x2()) / 2;
    }

    private static double centreY(BoundingBox b) {
        return (b.y1() + b.y2()) / 2;
    }

    public String id() {
        return id;
    }

    public String modelVersion() {
        return modelVersion;
    }

    public long firstSeenMs() {
        return firstSeenMs;
    }

    public long lastSeenMs() {
        return lastSeenMs;
    }

    public int faceCount() {
        return faceCount;
    }

    public Optional<BoundingBox> lastBox() {
        return Optional.ofNullable(lastBox);
    }

    public String bestFaceId() {
        return bestFaceId;
    }

    public String bestFrameId() {
        return bestFrameId;
    }

    public Optional<BoundingBox> bestBox() {
        return Optional.ofNullable(bestBox);
    }

    public double bestWeight() {
        return bestWeight;
    }

    public TrackEvidence evidence() {
        return evidence;
    }

    public Optional<String> reportedOutcome() {
        return Optional.ofNullable(reportedOutcome);
    }

    public Optional<String> reportedBestFaceId() {
        return Optional.ofNullable(reportedBestFaceId);
    }

    /** Records what the sighting just written for this track said, so an unchanged track writes none. */
    public void reported(String outcome, String bestFaceId) {
        this.reportedOutcome = outcome;
        this.reportedBestFaceId = bestFaceId;
    }
}
