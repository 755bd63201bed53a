package io.facestream.services.matcher;

import io.facestream.kafka.embedded.EmbeddedKafka;
import io.facestream.kafka.embedded.EmbeddedKafkaConfig;
import io.facestream.kafka.topics.TopicCreator;
import io.facestream.pipeline.access.AccessPolicy;
import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.erasure.FaceErasures;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Candidate;
import io.facestream.schema.Decision;
import io.facestream.schema.FaceEmbedding;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import io.facestream.schema.Match;
import io.facestream.services.common.config.PipelineConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The in-process KRaft broker for the erasure tests, with every topic of {@link Topics} and the matcher's own
 * login and ACLs ({@link AccessPolicy}: the followers under test read and write only what the matcher may), and
 * a producer (the admin) that writes what the pipeline's other stages would.
 */
public final class MatcherBroker implements AutoCloseable {

    public static final Topics TOPICS = new Topics(2);
    public static final Duration TIMEOUT = Duration.ofSeconds(60);
    public static final String MODEL = "m1";
    public static final int DIM = 16;

    private final EmbeddedKafka kafka;
    private final KafkaProducer<String, byte[]> producer;

    public MatcherBroker() {
        kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start();
        try (Admin admin = Admin.create(kafka.adminClientConfig())) {
            TopicCreator.createAll(admin, TOPICS.specs(), TIMEOUT);
        }
        kafka.logins(List.of(ServicePrincipal.MATCHER.username()));
        AccessPolicy policy = new AccessPolicy(TOPICS);
        kafka.grant(policy.bindings(), policy.principals());
        Map<String, Object> config = new HashMap<>(kafka.adminClientConfig());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** How the matcher connects: its own SCRAM login from the broker's credentials file. */
    public PipelineConfig pipeline() {
        return new PipelineConfig(kafka.bootstrapServers(), TOPICS.partitions(), "models", "test", 40_000_000, 48, 40,
                0.2, 0.4, 0, "tflite", 1, new PipelineConfig.KafkaSecurity("SASL_PLAINTEXT", "SCRAM-SHA-512", null,
                        null, null, kafka.credentialsFile().toString(), null));
    }

    /** A new instance's view of the erasure markers, read whole from the topic. */
    public FaceErasures erasures() throws InterruptedException {
        return FaceErasures.load(pipeline().kafka(ServicePrincipal.MATCHER), TOPICS, FaceErasures.MAX_MARKED, TIMEOUT);
    }

    public Admin admin() {
        return Admin.create(kafka.adminClientConfig());
    }

    public void embedding(String faceId, Instant at, float[] vector) {
        FaceEmbedding e = FaceEmbedding.newBuilder().setFaceId(faceId).setFrameId("frame-" + faceId)
                .setCameraId("cam-1").setCapturedAt(at).setVector(list(vector)).setModelVersion(MODEL).build();
        send(TOPICS.embeddings().name(), "cam-1", TOPICS.embeddings().encode(e));
    }

    /** A match of the face: KNOWN as {@code identityId}, or UNKNOWN when it is null. */
    public void match(String faceId, String trackId, Instant at, String identityId) {
        List<Candidate> candidates = identityId == null ? List.of()
                : List.of(Candidate.newBuilder().setIdentityId(identityId).setScore(0.8).build());
        Match m = Match.newBuilder().setFaceId(faceId).setFrameId("frame-" + faceId).setCameraId("cam-1")
                .setCapturedAt(at).setCandidates(candidates)
                .setDecision(identityId == null ? Decision.UNKNOWN : Decision.KNOWN).setThreshold(0.5)
                .setModelVersion(MODEL).setGalleryVersion(1).setMatchedAt(at).setTrackId(trackId).build();
        send(TOPICS.matches().name(), "cam-1", TOPICS.matches().encode(m));
    }

    public void identity(String identityId) {
        Identity i = Identity.newBuilder().setIdentityId(identityId).setDisplayName(identityId)
                .setCreatedAt(Instant.now()).build();
        send(TOPICS.identities().name(), identityId, TOPICS.identities().encode(i));
    }

    public void sample(String identityId, String sampleId, float[] vector) {
        GallerySample s = GallerySample.newBuilder().setIdentityId(identityId).setSampleId(sampleId)
                .setVector(list(vector)).setModelVersion(MODEL).setEnrolledAt(Instant.now()).build();
        send(TOPICS.gallery().name(), identityId + "/" + sampleId, TOPICS.gallery().encode(s));
    }

    /** What {@code DELETE /api/v1/identities/{id}} writes (GalleryWriter.erase): the samples', then the person's tombstone. */
    public void erase(String identityId, List<String> sampleIds) {
        for (String s : sampleIds) {
            send(TOPICS.gallery().name(), identityId + "/" + s, null);
        }
        send(TOPICS.identities().name(), identityId, null);
    }

    public void send(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** A unit vector; {@link #near} makes vectors at a given cosine to it. */
    public static float[] unit(Random random) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return normalised(v);
    }

    /** A unit vector at exactly {@code cosine} to the unit vector {@code base}. */
    public static float[] near(float[] base, double cosine, Random random) {
        float[] r = unit(random);
        double dot = 0;
        for (int i = 0; i < DIM; i++) {
            dot += r[i] * base[i];
        }
        float[] orth = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            orth[i] = (float) (r[i] - dot * base[i]);
        }
        orth = normalised(orth);
        double sin = Math.sqrt(1 - cosine * cosine);
        float[] out = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            out[i] = (float) (cosine * base[i] + sin * orth[i]);
        }
        return normalised(out);
    }

    private static float[] normalised(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.sqrt(n));
        }
        return out;
    }

    private static List<Float> list(float[] v) {
        List<Float> out = new ArrayList<>(v.length);
        for (float x : v) {
            out.add(x);
        }
        return out;
    }

    @Override
    public void close() {
        producer.close();
        kafka.close();
    }
}
