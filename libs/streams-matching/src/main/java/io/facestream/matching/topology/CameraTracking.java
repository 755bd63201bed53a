package io.facestream.matching.topology;

import io.facestream.core.geometry.BoundingBox;
import io.facestream.core.track.CandidateScore;
import io.facestream.core.track.FaceTracker;
import io.facestream.core.track.Track;
import io.facestream.core.track.TrackDecision;
import io.facestream.core.track.TrackedFace;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Candidate;
import io.facestream.schema.Decision;
import io.facestream.schema.FaceEmbedding;
import io.facestream.schema.Match;
import io.facestream.schema.Sighting;
import io.facestream.schema.SightingState;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracking half of the matcher: each camera's {@link FaceTracker} lives in a persistent, changelogged store
 * (key camera id), read and written once per face, so under exactly-once a restart resumes every track where
 * the last committed transaction left it — neither lost nor opened twice. Writes a {@link Sighting} when a track
 * opens, when its decided outcome or best face changes, and once CLOSED when it ends.
 *
 * <p>Store value: the wall-clock time of the camera's latest face (8 bytes, big-endian), then
 * {@link FaceTracker#toBytes()}.
 */
final class CameraTracking {

    private static final Logger LOG = LoggerFactory.getLogger(CameraTracking.class);

    private final Topics topics;
    private final TrackConfig config;
    private final Clock clock;
    private final KeyValueStore<String, byte[]> store;
    private final ProcessorContext<String, byte[]> context;
    /**
     * When this task started (wall clock). A camera counts as active from then on, so a matcher that was down or
     * restarting for longer than the quiet time does not close tracks whose faces are still waiting in its input.
     */
    private final long startedWallMs;

    CameraTracking(Topics topics, TrackConfig config, Clock clock, KeyValueStore<String, byte[]> store,
            ProcessorContext<String, byte[]> context) {
        this.topics = topics;
        this.config = config;
        this.clock = clock;
        this.store = store;
        this.context = context;
        this.startedWallMs = context.currentSystemTimeMs();
    }

    /** The camera's state: when its latest face came (wall clock) and its tracker. */
    private record CameraState(long lastFaceWallMs, FaceTracker tracker) {
    }

    /**
     * Puts the face into its camera's track, writes the sightings this causes, and returns the match with its
     * track id. Sightings of tracks that ended on the way come first.
     */
    Match track(FaceEmbedding e, float[] vector, Match match, long timestamp) {
        String camera = e.getCameraId();
        CameraState state = load(camera);
        FaceTracker.Assignment a = state.tracker().observe(face(e, vector, match));
        for (Track ended : a.ended()) {
            write(camera, ended, SightingState.CLOSED, timestamp);
        }
        Track t = a.track();
        TrackDecision.Verdict v = config.decision().decide(t.faceCount(), t.evidence());
        if (a.opened() || !t.reportedOutcome().equals(Optional.of(v.outcomeKey()))
                || !t.reportedBestFaceId().equals(Optional.of(t.bestFaceId()))) {
            write(camera, t, v, SightingState.OPEN, timestamp);
        }
        save(camera, new CameraState(context.currentSystemTimeMs(), state.tracker()));
        return Match.newBuilder(match).setTrackId(t.id()).build();
    }

    /**
     * Closes the tracks of cameras that sent no face for {@code quietCloseMs} of wall-clock time (counted from this
     * task's start at the earliest). Runs on the stream thread, inside the task's transaction, like
     * {@link #track}.
     */
    void closeQuietCameras(long wallNowMs) {
        List<String> quiet = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> kv = all.next();
                long lastActive = Math.max(ByteBuffer.wrap(kv.value).getLong(), startedWallMs);
                if (wallNowMs - lastActive >= config.quietCloseMs()) {
                    quiet.add(kv.key);
                }
            }
        }
        for (String camera : quiet) {
            for (Track t : load(camera).tracker().endAll()) {
                write(camera, t, SightingState.CLOSED, t.lastSeenMs());
            }
            store.delete(camera); // nothing open: a camera that comes back starts afresh
        }
    }

    private CameraState load(String camera) {
        byte[] bytes = store.get(camera);
        if (bytes == null) {
            return new CameraState(0, new FaceTracker(config.tracker()));
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            long wall = buffer.getLong();
            byte[] tracker = new byte[buffer.remaining()];
            buffer.get(tracker);
            return new CameraState(wall, FaceTracker.fromBytes(config.tracker(), tracker));
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
            // State this version cannot read (written by a newer matcher, or damaged): its tracks are lost, but
            // failing here would fail the task on every face of the camera, for ever.
            LOG.warn("tracker state of camera {} unreadable ({}); starting its tracks afresh", camera, e.getMessage());
            return new CameraState(0, new FaceTracker(config.tracker()));
        }
    }

    private void save(String camera, CameraState state) {
        byte[] tracker = state.tracker().toBytes();
        store.put(camera, ByteBuffer.allocate(Long.BYTES + tracker.length).putLong(state.lastFaceWallMs())
                .put(tracker).array());
    }

    private TrackedFace face(FaceEmbedding e, float[] vector, Match match) {
        Optional<BoundingBox> box = Optional.ofNullable(e.getBox()).map(b -> new BoundingBox(b.getX1(), b.getY1(),
                b.getX2(), b.getY2()));
        Optional<Double> quality = Optional.ofNullable(e.getQuality()).map(q -> (double) q.getScore());
        List<CandidateScore> top = new ArrayList<>(match.getCandidates().size());
        for (Candidate c : match.getCandidates()) {
            top.add(new CandidateScore(c.getIdentityId(), c.getName(), c.getScore()));
        }
        return new TrackedFace(e.getFaceId(), e.getFrameId(), e.getCapturedAt().toEpochMilli(), box, vector,
                e.getModelVersion(), TrackedFace.weightOf(quality), top);
    }

    private void write(String camera, Track t, SightingState state, long timestamp) {
        write(camera, t, config.decision().decide(t.faceCount(), t.evidence()), state, timestamp);
    }

    private void write(String camera, Track t, TrackDecision.Verdict v, SightingState state, long timestamp) {
        List<Candidate> candidates = new ArrayList<>(v.candidates().size());
        for (CandidateScore c : v.candidates()) {
            candidates.add(Candidate.newBuilder().setIdentityId(c.identityId()).setName(c.name())
                    .setScore(c.score()).build());
        }
        // A face without a box (a record older than boxes on embeddings) has an empty one at the origin.
        BoundingBox box = t.bestBox().orElse(new BoundingBox(0, 0, 0, 0));
        Sighting s = Sighting.newBuilder().setSightingId(t.id()).setCameraId(camera).setState(state)
                .setFirstSeenAt(Instant.ofEpochMilli(t.firstSeenMs()))
                .setLastSeenAt(Instant.ofEpochMilli(t.lastSeenMs()))
                .setFaceCount(t.faceCount()).setDecision(v.known() ? Decision.KNOWN : Decision.UNKNOWN)
                .setIdentityId(v.identity().map(CandidateScore::identityId).orElse(null))
                .setName(v.identity().map(CandidateScore::name).orElse(null)).setScore(v.score())
                .setMargin(v.margin()).setCandidates(candidates).setBestFaceId(t.bestFaceId())
                .setBestFrameId(t.bestFrameId())
                .setBestBox(io.facestream.schema.BoundingBox.newBuilder().setX1((float) box.x1())
                        .setY1((float) box.y1()).setX2((float) box.x2()).setY2((float) box.y2()).build())
                .setBestQuality((float) t.bestWeight()).setModelVersion(t.modelVersion())
                .setUpdatedAt(clock.instant()).build();
        t.reported(v.outcomeKey(), t.bestFaceId());
        context.forward(new Record<>(t.id(), topics.sightings().encode(s), timestamp), MatchingTopology.SIGHTINGS_SINK);
    }
}
