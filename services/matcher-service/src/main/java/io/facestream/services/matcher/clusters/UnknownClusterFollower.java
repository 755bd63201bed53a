package io.facestream.services.matcher.clusters;

import io.facestream.clusters.density.Changes;
import io.facestream.clusters.density.Changes.Merge;
import io.facestream.clusters.density.ClusterView;
import io.facestream.clusters.density.UnknownClusters;
import io.facestream.clusters.density.UnknownFace;
import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.erasure.FaceErasures;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Decision;
import io.facestream.schema.FaceCluster;
import io.facestream.schema.FaceEmbedding;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Match;
import io.facestream.schema.Sighting;
import io.facestream.services.common.config.PipelineConfig;
import io.facestream.services.matcher.config.ClustersConfig;
import io.facestream.services.matcher.config.MatcherConfig;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds {@link UnknownClusters} from the pipeline and publishes every change on the compacted {@code clusters}
 * topic (README, "Unknown clusters"). An UNKNOWN match is joined with its face's embedding (vector, crop) by face
 * id; a sighting that becomes KNOWN takes its track's faces out, a new gallery sample the faces it matches, an
 * erased identity the faces of the clusters named to it (marked on {@code face-erasures} first). A face marked
 * erased (by this follower or by the history's erasure, on any instance) is never clustered, and a marker read
 * after its face takes it out. At start-up it reads the whole clusters topic (ids, names, merges) and then the
 * last {@code replay-records} of embeddings and matches, so a restart rebuilds the same clusters under the same
 * ids, without the faces of people erased before (the markers were read whole before the replay).
 */
// Eager: it must be following before the first request asks for clusters.
@Context
public class UnknownClusterFollower implements Monitored {

    private static final Logger LOG = LoggerFactory.getLogger(UnknownClusterFollower.class);
    /** Embeddings waiting for their match (matches come right after; a replay may read them in either order). */
    static final int PENDING_EMBEDDINGS = 1000;
    /** UNKNOWN matches waiting for their embedding (about 100 bytes each). */
    static final int PENDING_MATCHES = 20_000;
    /** Tracks that became KNOWN, so their late faces do not join a cluster. */
    static final int KNOWN_TRACKS = 10_000;
    private static final Duration EXPIRY_EVERY = Duration.ofMinutes(1);

    private final Topics topics;
    private final UnknownClusters clusters;
    private final double threshold;
    private final Clock clock;
    private final FaceErasures erasures;
    private final KafkaProducer<String, byte[]> producer;
    private final TopicFollower published;
    private final TopicFollower pipeline;
    // follower thread only
    private final Map<String, FaceEmbedding> pendingEmbeddings = bounded(PENDING_EMBEDDINGS);
    private final Map<String, Match> pendingMatches = bounded(PENDING_MATCHES);
    private final Set<String> knownTracks = Collections.newSetFromMap(bounded(KNOWN_TRACKS));
    private Instant lastExpiry = Instant.EPOCH;

    public UnknownClusterFollower(PipelineConfig pipelineConfig, ClustersConfig config, MatcherConfig matcher,
            Topics topics, FaceErasures erasures, Clock clock) throws InterruptedException {
        this.topics = topics;
        this.erasures = erasures;
        this.clusters = new UnknownClusters(config.clusterConfig());
        this.threshold = matcher.threshold();
        this.clock = clock;
        var kafka = pipelineConfig.kafka(ServicePrincipal.MATCHER);
        producer = new KafkaProducer<>(kafka.producer(), new StringSerializer(), new ByteArraySerializer());
        published = new TopicFollower("clusters-published", kafka, List.of(topics.clusters().name()), -1,
                this::remember).start();
        if (!published.awaitCaughtUp(Duration.ofSeconds(60))) {
            throw new IllegalStateException("the clusters topic was not read within 60 s");
        }
        pipeline = new TopicFollower("clusters-pipeline", kafka, List.of(topics.embeddings().name(),
                topics.matches().name(), topics.sightings().name(), topics.gallery().name(),
                topics.identities().name(), erasures.topicName()), config.replayRecords(), this::onRecord).start();
    }

    /** Up to {@code limit} clusters, largest first. */
    public List<ClusterView> largest(int limit) {
        return clusters.largest(limit);
    }

    /** A cluster by id, following merges. */
    public Optional<ClusterView> cluster(String clusterId) {
        return clusters.cluster(clusterId);
    }

    /** Names a cluster to an identity and publishes it; empty when there is no such cluster. */
    public Optional<ClusterView> name(String clusterId, String identityId) {
        Optional<Changes> changes = clusters.name(clusterId, identityId);
        changes.ifPresent(this::publish);
        return changes.flatMap(c -> clusters.cluster(clusterId));
    }

    private void remember(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            return;
        }
        if (r.value() == null) {
            clusters.remember(r.key(), null, null, null);
            return;
        }
        try {
            FaceCluster k = topics.clusters().valueSerde().deserializer().deserialize(r.topic(), r.value());
            clusters.remember(k.getClusterId(), k.getFaceIds(), k.getIdentityId(), k.getMergedInto());
        } catch (SerializationException e) {
            LOG.warn("skipping undecodable cluster at offset {}: {}", r.offset(), e.getMessage());
        }
    }

    private void onRecord(ConsumerRecord<String, byte[]> r) {
        try {
            String topic = r.topic();
            if (topic.equals(topics.embeddings().name()) && r.value() != null) {
                embedding(topics.embeddings().valueSerde().deserializer().deserialize(topic, r.value()));
            } else if (topic.equals(topics.matches().name()) && r.value() != null) {
                match(topics.matches().valueSerde().deserializer().deserialize(topic, r.value()));
            } else if (topic.equals(topics.sightings().name()) && r.value() != null) {
                Sighting s = topics.sightings().valueSerde().deserializer().deserialize(topic, r.value());
                if (s.getDecision() == Decision.KNOWN && knownTracks.add(s.getSightingId())) {
                    publish(clusters.leaveTrack(s.getSightingId(), s.getIdentityId()));
                }
            } else if (topic.equals(topics.gallery().name()) && r.value() != null) {
                GallerySample g = topics.gallery().valueSerde().deserializer().deserialize(topic, r.value());
                publish(clusters.leaveMatching(g.getModelVersion(), floats(g.getVector()), threshold,
                        g.getIdentityId()));
            } else if (topic.equals(topics.identities().name()) && r.value() == null && r.key() != null) {
                // marked before they go: a failed write throws, and the follower retries the tombstone
                erasures.mark(clusters.namedFaces(r.key()), r.key(), Instant.ofEpochMilli(r.timestamp()));
                publish(clusters.eraseIdentity(r.key()));
            } else if (erasures.isMarker(r)) {
                erasures.apply(r).ifPresent(this::erased);
            }
        } catch (SerializationException | IllegalArgumentException e) {
            // undecodable, or a face the clustering cannot hold (no vector): skipped, as the other views do,
            // rather than retried until the follower gives up
            LOG.warn("skipping {} record at partition {} offset {}: {}", r.topic(), r.partition(), r.offset(),
                    e.getMessage());
        }
        Instant now = clock.instant();
        if (Duration.between(lastExpiry, now).compareTo(EXPIRY_EVERY) > 0) {
            lastExpiry = now;
            publish(clusters.expire(now));
        }
    }

    /** A marker read after its face (another instance's erasure, the history's): the face goes. */
    private void erased(String faceId) {
        pendingEmbeddings.remove(faceId);
        pendingMatches.remove(faceId);
        publish(clusters.leave(faceId));
    }

    private void embedding(FaceEmbedding e) {
        if (erasures.isErased(e.getFaceId())) {
            return;
        }
        Match m = pendingMatches.remove(e.getFaceId());
        if (m != null) {
            add(m, e);
        } else {
            pendingEmbeddings.put(e.getFaceId(), e);
        }
    }

    private void match(Match m) {
        if (erasures.isErased(m.getFaceId())) {
            return;
        }
        if (m.getDecision() == Decision.KNOWN) {
            pendingEmbeddings.remove(m.getFaceId());
            publish(clusters.leave(m.getFaceId()));
            return;
        }
        FaceEmbedding e = pendingEmbeddings.remove(m.getFaceId());
        if (e != null) {
            add(m, e);
        } else {
            pendingMatches.put(m.getFaceId(), m);
        }
    }

    private void add(Match m, FaceEmbedding e) {
        if (m.getTrackId() != null && knownTracks.contains(m.getTrackId())) {
            return;
        }
        ByteBuffer crop = e.getAlignedCrop();
        byte[] png = null;
        if (crop != null) {
            png = new byte[crop.remaining()];
            crop.duplicate().get(png);
        }
        double quality = e.getQuality() == null ? 0 : e.getQuality().getScore();
        publish(clusters.add(new UnknownFace(e.getFaceId(), m.getTrackId(), e.getCameraId(), e.getCapturedAt(),
                e.getModelVersion(), floats(e.getVector()), quality, png)));
    }

    private void publish(Changes changes) {
        if (changes.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        for (ClusterView k : changes.updated()) {
            send(k.clusterId(), topics.clusters().encode(ClusterRecords.of(k, now)));
        }
        for (Merge m : changes.merges()) {
            send(m.absorbed(), topics.clusters().encode(ClusterRecords.merged(m.absorbed(), m.survivor(), now)));
        }
        for (String gone : changes.removed()) {
            send(gone, null);
        }
    }

    private void send(String key, byte[] value) {
        producer.send(new ProducerRecord<>(topics.clusters().name(), key, value), (meta, e) -> {
            if (e != null) {
                // the in-memory clusters stay right; the topic catches up with the cluster's next change
                LOG.error("could not publish cluster {}: {}", key, e.getMessage());
            }
        });
    }

    private static float[] floats(List<Float> v) {
        float[] a = new float[v.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = v.get(i);
        }
        return a;
    }

    private static <K, V> Map<K, V> bounded(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    @PreDestroy
    void close() {
        pipeline.close();
        published.close();
        producer.close(Duration.ofSeconds(2));
    }

    /** Its follower threads, for {@code /health}. */
    @Override
    public List<LoopStatus> loops() {
        List<LoopStatus> all = new ArrayList<>(published.loops());
        all.addAll(pipeline.loops());
        return all;
    }
}
