package io.facestream.matching.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.galleryindex.hnsw.HnswGalleryStore;
import io.facestream.pipeline.gallery.GalleryReplica;
import io.facestream.pipeline.gallery.GalleryView;
import io.facestream.galleryindex.hnsw.HnswSettings;
import io.facestream.galleryindex.synthetic.FaceLikeGallery;
import io.facestream.kafka.embedded.EmbeddedKafka;
import io.facestream.kafka.embedded.EmbeddedKafkaConfig;
import io.facestream.kafka.topics.TopicCreator;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica over persisted HNSW indexes on a real (in-process) broker: a restart reopens the indexes and reads
 * only the gallery records written after the last commit, and still applies the erasures of the identities topic.
 */
class PersistedGalleryReplicaTest {

    private static final Topics TOPICS = new Topics(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int DIM = 16;
    /** Exact below 10 samples: the 40-sample gallery is searched on the graph. */
    private static final int EXACT_BELOW = 10;
    private static EmbeddedKafka kafka;
    private static KafkaProducer<String, byte[]> producer;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start();
        try (Admin admin = Admin.create(kafka.adminClientConfig())) {
            TopicCreator.createAll(admin, TOPICS.specs(), TIMEOUT);
        }
        Map<String, Object> config = new HashMap<>(kafka.adminClientConfig());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        producer.close();
        kafka.close();
    }

    @Test
    void aRestartReopensTheIndexAndReplaysOnlyTheNewerTail() throws Exception {
        float[][] centres = FaceLikeGallery.defaults(DIM, 11).centres(25);
        for (int i = 0; i < 20; i++) {
            for (int s = 0; s < 2; s++) {
                sendSample(i, s, centres[i]);
            }
            sendIdentity("id" + i, identity("id" + i));
        }
        try (HnswGalleryStore store = store();
                GalleryReplica replica = replica(new GalleryView(store))) {
            assertTrue(replica.awaitCaughtUp(TIMEOUT));
            assertEquals(40, replica.galleryRecordsApplied());
            assertFalse(store.tiered("A").orElseThrow().searchesExactly(), "40 samples: the graph answers");
        } // closing the replica commits

        for (int i = 20; i < 25; i++) {
            sendSample(i, 0, centres[i]);
            sendIdentity("id" + i, identity("id" + i));
        }
        send(TOPICS.gallery().name(), "id3/s0", null);
        sendIdentity("id4", null); // an erasure while the matcher was down

        try (HnswGalleryStore store = store()) {
            assertFalse(store.resumeOffsets().isEmpty(), "offsets were committed with the index");
            GalleryView view = new GalleryView(store);
            assertEquals(40, view.size("A"), "the persisted samples are there before any record is read");
            assertEquals(2, view.sampleKeys("id7").size(), "and their keys, for erasure");
            try (GalleryReplica replica = replica(view)) {
                assertTrue(replica.awaitCaughtUp(TIMEOUT));
                assertEquals(6, replica.galleryRecordsApplied(), "only the five new samples and one tombstone");
                assertEquals(40 + 5 - 1 - 2, view.size("A"));
                assertEquals("id22", view.search("A", centres[22], 1).get(0).identityId());
                assertEquals("id3", view.search("A", centres[3], 1).get(0).identityId(), "id3's other sample");
                assertFalse(view.search("A", centres[4], 5).stream().anyMatch(h -> h.identityId().equals("id4")),
                        "the erased identity is no candidate");
                assertTrue(view.sampleKeys("id4").isEmpty());
            }
        }
    }

    private HnswGalleryStore store() {
        return new HnswGalleryStore(Optional.of(dir), DIM, new HnswSettings(16, 100, 100, 0.2, 1000, 16), EXACT_BELOW);
    }

    private static GalleryReplica replica(GalleryView view) {
        return new GalleryReplica(new KafkaClientSettings(kafka.bootstrapServers(), kafka.adminLoginSettings()), TOPICS,
                view, Duration.ofMinutes(5)).start();
    }

    private static void sendSample(int identity, int sample, float[] centre) throws Exception {
        List<Float> values = new ArrayList<>();
        float[] v = centre.clone();
        v[sample % DIM] += 0.05f; // two samples of one identity differ a little
        for (float x : FaceLikeGallery.unit(v)) {
            values.add(x);
        }
        GallerySample s = GallerySample.newBuilder().setIdentityId("id" + identity).setSampleId("s" + sample)
                .setVector(values).setModelVersion("A").setEnrolledAt(Instant.EPOCH).build();
        send(TOPICS.gallery().name(), "id" + identity + "/s" + sample,
                TOPICS.gallery().valueSerde().serializer().serialize(TOPICS.gallery().name(), s));
    }

    private static Identity identity(String id) {
        return Identity.newBuilder().setIdentityId(id).setDisplayName(id).setCreatedAt(Instant.EPOCH).build();
    }

    private static void sendIdentity(String key, Identity identity) throws Exception {
        send(TOPICS.identities().name(), key, identity == null ? null
                : TOPICS.identities().valueSerde().serializer().serialize(TOPICS.identities().name(), identity));
    }

    private static void send(String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
}
