package io.facestream.matching.topology;

import io.facestream.core.gallery.GalleryIndex.ScoredIdentity;
import io.facestream.pipeline.gallery.GalleryView;
import io.facestream.pipeline.deadletter.DeadLetter;
import io.facestream.pipeline.deadletter.DeadLetterListener;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Candidate;
import io.facestream.schema.Decision;
import io.facestream.schema.FaceEmbedding;
import io.facestream.schema.Identity;
import io.facestream.schema.Match;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches one embedding against the gallery and puts it into its camera's face track ({@link CameraTracking}),
 * or routes it to the dead-letter sink with the reason.
 */
final class MatchProcessor implements Processor<String, byte[], String, byte[]> {

    /** Tolerance on the norm of an embedding that claims to be L2-normalised. */
    private static final double NORM_TOLERANCE = 1e-3;

    private final Topics topics;
    private final MatchConfig config;
    private final GalleryView gallery;
    private final Clock clock;
    /** How long a new model version may wait for its gallery before it is matched against what is there. */
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(MatchProcessor.class);

    private final CameraSettings cameras;
    private final GallerySync sync;
    /** Model versions whose gallery this processor has waited for. */
    private final Set<String> syncedVersions = new HashSet<>();
    private final TrackConfig trackConfig;
    private ProcessorContext<String, byte[]> context;
    private CameraTracking tracking;

    private final DeadLetterListener deadLetters;

    MatchProcessor(Topics topics, MatchConfig config, TrackConfig trackConfig, GalleryView gallery, Clock clock,
            CameraSettings cameras, GallerySync sync, DeadLetterListener deadLetters) {
        this.trackConfig = trackConfig;
        this.deadLetters = deadLetters;
        this.cameras = cameras;
        this.sync = sync;
        this.topics = topics;
        this.config = config;
        this.gallery = gallery;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        KeyValueStore<String, byte[]> store = context.getStateStore(MatchingTopology.TRACKS_STORE);
        tracking = new CameraTracking(topics, trackConfig, clock, store, context);
        context.schedule(Duration.ofMillis(trackConfig.punctuateIntervalMs()), PunctuationType.WALL_CLOCK_TIME,
                tracking::closeQuietCameras);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        try {
            FaceEmbedding e = topics.embeddings().decode(record.value());
            float[] vector = validVector(e);
            if (!cameras.enabled(e.getCameraId())) {
                return; // an operator switched this camera's matching off
            }
            Match untracked = match(e, vector);
            // Checked before the face joins its track: an embedding too large to match must leave no trace in the
            // tracker store or the sightings either (its ids would be copied there). The track id adds a few
            // dozen bytes, far below the record limit the bound keeps clear of.
            int untrackedBytes = topics.matches().encode(untracked).length;
            if (untrackedBytes > MatchBounds.MAX_MATCH_BYTES) {
                throw new RejectedRecordException("match-too-large", "the match would be " + untrackedBytes
                        + " bytes, limit " + MatchBounds.MAX_MATCH_BYTES);
            }
            Match m = tracking.track(e, vector, untracked, record.timestamp());
            byte[] bytes = topics.matches().encode(m);
            context.forward(new Record<>(e.getCameraId(), bytes, record.timestamp()), MatchingTopology.MATCHES_SINK);
        } catch (RejectedRecordException e) {
            RecordMetadata meta = context.recordMetadata().orElseThrow();
            DeadLetter letter = new DeadLetter("matcher", e.kind(), e.getMessage(), meta.topic(), meta.partition(),
                    meta.offset());
            RecordHeaders headers = new RecordHeaders();
            letter.headers().forEach(headers::add);
            byte[] value = record.value();
            if (value != null && value.length > MatchBounds.MAX_DEAD_LETTER_VALUE_BYTES) {
                headers.add(MatchBounds.TRUNCATED_HEADER,
                        Integer.toString(value.length).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                value = java.util.Arrays.copyOf(value, MatchBounds.MAX_DEAD_LETTER_VALUE_BYTES);
            }
            context.forward(new Record<>(record.key(), value, record.timestamp(), headers),
                    MatchingTopology.DEAD_LETTER_SINK);
            deadLetters.deadLettered("matcher", e.kind());
        }
    }


    private void awaitGallery(String modelVersion) {
        if (syncedVersions.contains(modelVersion)) {
            return;
        }
        try {
            if (!sync.awaitWritten(SYNC_TIMEOUT)) {
                LOG.warn("gallery of model version {} not caught up within {}; matching against what is there",
                        modelVersion, SYNC_TIMEOUT);
            }
            syncedVersions.add(modelVersion);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private float[] validVector(FaceEmbedding e) throws RejectedRecordException {
        List<Float> v = e.getVector();
        if (v.size() != config.dimension()) {
            throw new RejectedRecordException("wrong-dimension", "embedding has " + v.size() + " values, expected "
                    + config.dimension());
        }
        float[] out = new float[v.size()];
        double norm = 0;
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i);
            if (!Float.isFinite(out[i])) {
                throw new RejectedRecordException("non-finite", "embedding value " + i + " is " + out[i]);
            }
            norm += out[i] * out[i];
        }
        if (Math.abs(Math.sqrt(norm) - 1) > NORM_TOLERANCE) {
            throw new RejectedRecordException("not-normalised", "embedding norm is " + Math.sqrt(norm) + ", expected 1");
        }
        if (e.getCameraId() == null || e.getCameraId().isBlank() || e.getFaceId() == null || e.getFaceId().isBlank()) {
            throw new RejectedRecordException("missing-field", "embedding lacks faceId or cameraId");
        }
        return out;
    }

    private Match match(FaceEmbedding e, float[] query) {
        awaitGallery(e.getModelVersion());
        long galleryVersion = gallery.version();
        List<ScoredIdentity> top = gallery.search(e.getModelVersion(), query, config.topK());
        List<Candidate> candidates = new ArrayList<>(top.size());
        for (ScoredIdentity s : top) {
            String name = gallery.identity(s.identityId()).map(Identity::getDisplayName).orElse(null);
            // bounded whatever the identities topic holds, so a match always fits in a record (MatchBounds)
            candidates.add(Candidate.newBuilder()
                    .setIdentityId(MatchBounds.truncate(s.identityId(), MatchBounds.MAX_ID_CHARS))
                    .setName(MatchBounds.truncate(name, MatchBounds.MAX_NAME_CHARS)).setScore(s.score()).build());
        }
        double threshold = cameras.threshold(e.getCameraId(), config.thresholdFor(e.getCameraId()));
        Decision decision = !top.isEmpty() && top.get(0).score() >= threshold ? Decision.KNOWN : Decision.UNKNOWN;
        return Match.newBuilder().setFaceId(e.getFaceId()).setFrameId(e.getFrameId()).setCameraId(e.getCameraId())
                .setCapturedAt(e.getCapturedAt()).setCandidates(candidates).setDecision(decision)
                .setThreshold(threshold).setModelVersion(e.getModelVersion()).setGalleryVersion(galleryVersion)
                .setMatchedAt(clock.instant()).build();
    }
}
