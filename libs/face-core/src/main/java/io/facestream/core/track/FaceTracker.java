package io.facestream.core.track;

import io.facestream.core.geometry.BoundingBox;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Follows the faces of one camera as tracks, one track per person and visit.
 *
 * <p>Each face is compared with every open track of the same embedding model version that has not already taken
 * a face of the same frame (two faces of one frame are two people). The box overlap is the better of the IoU
 * with the track's last box and with that box moved by the track's velocity to the face's capture time; the
 * appearance is the cosine with the track's quality-weighted mean embedding. A track qualifies under the rule
 * of {@link TrackerConfig}; among those that qualify the face joins the one with the highest IoU + cosine, else
 * it opens a new track. Faces arrive one at a time (the matcher sees a frame's faces in sequence), so the
 * assignment is greedy in arrival order, not a per-frame optimum.
 *
 * <p>A track ends when a face of the camera arrives more than {@code maxGapMs} (capture time) after the track's
 * latest face, when {@link #endIdle} or {@link #endAll} say so, or when a new track needs its place under
 * {@code maxOpenTracks}. The whole state round-trips through {@link #toBytes()} / {@link #fromBytes}, so it can
 * live in a Kafka Streams state store. Not thread-safe: one tracker per camera, used by one thread.
 */
public final class FaceTracker {

    /** Version of the binary state written by {@link #toBytes()}. */
    static final byte CODEC_VERSION = 1;

    /**
     * What became of one face.
     *
     * @param track the track it joined (or opened)
     * @param opened whether the face opened the track
     * @param ended tracks that ended on the way (gap, or room for the new one), to be reported closed
     */
    public record Assignment(Track track, boolean opened, List<Track> ended) {

        public Assignment {
            ended = List.copyOf(ended);
        }
    }

    private final TrackerConfig config;
    /** Open tracks, oldest first. */
    private final List<Track> open = new ArrayList<>();

    public FaceTracker(TrackerConfig config) {
        this.config = config;
    }

    /** Assigns a face to a track; ends the tracks whose gap the face's capture time exceeds. */
    public Assignment observe(TrackedFace face) {
        List<Track> ended = new ArrayList<>(endIdle(face.capturedAtMs()));
        Track best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (Track t : open) {
            OptionalScore s = score(t, face);
            if (s.qualifies() && s.value() > bestScore) {
                best = t;
                bestScore = s.value();
            }
        }
        boolean opened = best == null;
        if (opened) {
            if (open.size() >= config.maxOpenTracks()) {
                Track oldest = open.stream().min(Comparator.comparingLong(Track::lastSeenMs)).orElseThrow();
                open.remove(oldest);
                ended.add(oldest);
            }
            best = new Track(face.faceId(), face.modelVersion(), face.capturedAtMs(), face.embedding().length,
                    config.maxCandidates());
            open.add(best);
        }
        best.add(face);
        return new Assignment(best, opened, ended);
    }

    /** Whether a track may take the face, and how well it fits. */
    private record OptionalScore(boolean qualifies, double value) {
    }

    private OptionalScore score(Track t, TrackedFace face) {
        if (!t.modelVersion.equals(face.modelVersion()) || face.frameId().equals(t.lastFrameId)
                || t.embeddingSum.length != face.embedding().length) {
            return new OptionalScore(false, 0);
        }
        double similarity = t.similarity(face.embedding());
        Optional<BoundingBox> box = face.box();
        double iou = 0;
        if (box.isPresent() && t.lastBox != null) {
            iou = Math.max(box.get().iou(t.lastBox), box.get().iou(t.predictedBox(face.capturedAtMs())));
        }
        boolean overlapping = iou >= config.minIou();
        boolean qualifies = overlapping ? similarity >= config.minSimilarity()
                : similarity >= config.minSimilarityWithoutOverlap();
        return new OptionalScore(qualifies, iou + similarity);
    }

    /** Ends (and returns, oldest first) the tracks whose latest face is more than the gap before {@code nowMs}. */
    public List<Track> endIdle(long nowMs) {
        List<Track> ended = new ArrayList<>();
        open.removeIf(t -> {
            boolean idle = nowMs - t.lastSeenMs > config.maxGapMs();
            if (idle) {
                ended.add(t);
            }
            return idle;
        });
        return ended;
    }

    /** Ends every open track (the camera went quiet). */
    public List<Track> endAll() {
        List<Track> ended = List.copyOf(open);
        open.clear();
        return ended;
    }

    /** The open tracks, oldest first. */
    public List<Track> openTracks() {
        return List.copyOf(open);
    }

    public boolean isEmpty() {
        return open.isEmpty();
    }

    // ---------------------------------------------------------------- codec

    /** The open tracks as bytes: a version byte, then each track's fields (see {@link #fromBytes}). */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(CODEC_VERSION);
            out.writeInt(open.size());
            for (Track t : open) {
                writeTrack(out, t);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * A tracker with the open tracks of {@link #toBytes()}, under the given configuration.
     *
     * @throws IllegalArgumentException for bytes of an unknown version or that are cut short
     */
    public static FaceTracker fromBytes(TrackerConfig config, byte[] state) {
        FaceTracker tracker = new FaceTracker(config);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            byte version = in.readByte();
            if (version != CODEC_VERSION) {
                throw new IllegalArgumentException("tracker state of version " + version + ", expected "
                        + CODEC_VERSION);
            }
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                tracker.open.add(readTrack(in, config));
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException("tracker state has " + in.available() + " trailing bytes");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("tracker state is cut short", e);
        }
        return tracker;
    }

    private static void writeTrack(DataOutputStream out, Track t) throws IOException {
        out.writeUTF(t.id);
        out.writeUTF(t.modelVersion);
        out.writeLong(t.firstSeenMs);
        out.writeLong(t.lastSeenMs);
        writeNullable(out, t.lastFrameId);
        writeBox(out, t.lastBox);
        out.writeDouble(t.vx);
        out.writeDouble(t.vy);
        out.writeInt(t.embeddingSum.length);
        for (float v : t.embeddingSum) {
            out.writeFloat(v);
        }
        out.writeInt(t.faceCount);
        writeNullable(out, t.bestFaceId);
        writeNullable(out, t.bestFrameId);
        writeBox(out, t.bestBox);
        out.writeDouble(t.bestWeight);
        writeNullable(out, t.reportedOutcome);
        writeNullable(out, t.reportedBestFaceId);
        TrackEvidence e = t.evidence;
        out.writeDouble(e.totalWeight());
        out.writeDouble(e.weightedFloors());
        out.writeInt(e.sums().size());
        for (Map.Entry<String, TrackEvidence.Sums> s : e.sums().entrySet()) {
            out.writeUTF(s.getKey());
            writeNullable(out, s.getValue().name);
            out.writeDouble(s.getValue().weightedScores);
            out.writeDouble(s.getValue().weightedFloorsWherePresent);
        }
    }

    private static Track readTrack(DataInputStream in, TrackerConfig config) throws IOException {
        String id = in.readUTF();
        String model = in.readUTF();
        long first = in.readLong();
        long last = in.readLong();
        String lastFrame = readNullable(in);
        BoundingBox lastBox = readBox(in);
        double vx = in.readDouble();
        double vy = in.readDouble();
        int dimension = in.readInt();
        if (dimension < 1 || dimension > 1 << 16) {
            throw new IllegalArgumentException("tracker state: embedding dimension " + dimension);
        }
        Track t = new Track(id, model, first, dimension, config.maxCandidates());
        t.lastSeenMs = last;
        t.lastFrameId = lastFrame;
        t.lastBox = lastBox;
        t.vx = vx;
        t.vy = vy;
        for (int i = 0; i < dimension; i++) {
            t.embeddingSum[i] = in.readFloat();
        }
        t.faceCount = in.readInt();
        t.bestFaceId = readNullable(in);
        t.bestFrameId = readNullable(in);
        t.bestBox = readBox(in);
        t.bestWeight = in.readDouble();
        t.reportedOutcome = readNullable(in);
        t.reportedBestFaceId = readNullable(in);
        t.evidence.restore(in.readDouble(), in.readDouble());
        int candidates = in.readInt();
        for (int i = 0; i < candidates; i++) {
            String identity = in.readUTF();
            t.evidence.sums().put(identity, new TrackEvidence.Sums(readNullable(in), in.readDouble(),
                    in.readDouble()));
        }
        return t;
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeBox(DataOutputStream out, BoundingBox b) throws IOException {
        out.writeBoolean(b != null);
        if (b != null) {
            out.writeDouble(b.x1());
            out.writeDouble(b.y1());
            out.writeDouble(b.x2());
            out.writeDouble(b.y2());
        }
    }

    private static BoundingBox readBox(DataInputStream in) throws IOException {
        return in.readBoolean() ? new BoundingBox(in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble())
                : null;
    }
}
