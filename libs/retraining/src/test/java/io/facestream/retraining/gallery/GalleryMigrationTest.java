package io.facestream.retraining.gallery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.inference.embedding.FaceEmbedder;
import io.facestream.inference.testing.SharedModels;
import io.facestream.kafka.embedded.EmbeddedKafka;
import io.facestream.kafka.embedded.EmbeddedKafkaConfig;
import io.facestream.kafka.topics.TopicCreator;
import io.facestream.pipeline.embed.CropEmbedder;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.gallery.GallerySamples;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.BoundingBox;
import io.facestream.schema.FaceCrop;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import io.facestream.vision.OpenCvLoader;
import io.facestream.vision.encode.PngEncoder;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collector;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Re-embedding the gallery for a new version: each crop gets one twin under the new version (once, however
 * often it runs), erased people and samples without a crop are skipped, and pruning removes an old sample
 * only when its twin under the active version exists.
 */
class GalleryMigrationTest {

    private static final Topics TOPICS = new Topics(1);

    @Test
    void everyEnrolledCropGetsOneTwinUnderTheNewVersionAndPruningKeepsWhatIsNotCovered() throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start()) {
            try (Admin admin = Admin.create(kafka.adminClientConfig())) {
                TopicCreator.createAll(admin, List.of(TOPICS.gallery().spec(), TOPICS.identities().spec()),
                        Duration.ofSeconds(20));
            }
            Map<String, GallerySample> topic = new ConcurrentHashMap<>();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.adminClientConfig(), new StringSerializer(),
                    new ByteArraySerializer());
                    TopicFollower watch = new TopicFollower("watch", new KafkaClientSettings(kafka.bootstrapServers(), kafka.adminLoginSettings()),
                            List.of(TOPICS.gallery().name()), -1, r -> {
                                if (r.value() == null) {
                                    topic.remove(r.key());
                                } else {
                                    topic.put(r.key(), TOPICS.gallery().valueSerde().deserializer()
                                            .deserialize(r.topic(), r.value()));
                                }
                            }).start()) {
                byte[] annCrop = noisePng(1);
                put(producer, sample("ann", "s1", "v0", annCrop));
                put(producer, sample("ann", "s2", "v0", noisePng(2)));
                put(producer, sample("bob", "s1", "v0", null)); // enrolled before crops were kept
                put(producer, sample("eve", "s1", "v0", noisePng(3)));
                producer.send(new ProducerRecord<>(TOPICS.identities().name(), "eve", null)).get(); // erased
                producer.send(new ProducerRecord<>(TOPICS.identities().name(), "ann", TOPICS.identities().encode(
                        Identity.newBuilder().setIdentityId("ann").setDisplayName("Ann").setCreatedAt(Instant.EPOCH)
                                .build()))).get();

                CropEmbedder v1 = new CropEmbedder(new FaceEmbedder(SharedModels.get().mobileFaceNet(), 8), "v1");
                List<String> told = new CopyOnWriteArrayList<>();
                GallerySamples.Listener listener = new GallerySamples.Listener() {
                    @Override
                    public void enrolled(GallerySample sample) {
                        told.add("enrolled " + sample.getIdentityId() + "/" + sample.getSampleId());
                    }

                    @Override
                    public void erased(String identityId) {
                        told.add("erased " + identityId);
                    }
                };
                try (GalleryMigration migration = new GalleryMigration(new KafkaClientSettings(kafka.bootstrapServers(), kafka.adminLoginSettings()), TOPICS, listener)
                        .start(Duration.ofSeconds(30))) {
                    assertTrue(told.containsAll(List.of("enrolled ann/s1", "enrolled ann/s2", "enrolled bob/s1",
                            "erased eve")), "the listener hears what the migration reads: " + told);
                    assertEquals(2, migration.migrate(v1), "ann's two crops; bob has no crop, eve is erased");
                    assertEquals(0, migration.migrate(v1), "nothing left to do the second time");
                    watch.sync(Duration.ofSeconds(30));
                    GallerySample twin = topic.get("ann/s1@v1");
                    assertNotNull(twin);
                    assertEquals("v1", twin.getModelVersion());
                    assertArrayEquals(annCrop, bytes(twin.getAlignedCrop()), "the twin keeps the crop");
                    float[] expected = v1.embed(List.of(FaceCrop.newBuilder()
                            .setFaceId("x").setFrameId("x").setCameraId("x").setCapturedAt(Instant.EPOCH)
                            .setFaceIndex(0).setBox(BoundingBox.newBuilder().setX1(0).setY1(0)
                                    .setX2(1).setY2(1).build()).setLandmarks(List.of()).setDetectionScore(1f)
                            .setAlignedCrop(ByteBuffer.wrap(annCrop)).setDetectorVersion("x").build()))
                            .get(0).embedding().getVector().stream().collect(FloatArray.COLLECT);
                    assertArrayEquals(expected, FloatArray.of(twin.getVector()), 1e-6f, "embedded by v1");

                    // A twin's twin keeps the base id: v2 from v1 is ann/s1@v2, not ann/s1@v1@v2.
                    CropEmbedder v2 = new CropEmbedder(new FaceEmbedder(SharedModels.get().mobileFaceNet(), 8), "v2");
                    assertEquals(2, migration.migrate(v2));
                    assertEquals(Map.of("v0", 3, "v1", 2, "v2", 2), migration.samplesByVersion());
                    // v2 active, v1 kept: ann's v0 samples are covered by v2 twins and go; bob's stays.
                    assertEquals(2, migration.prune("v2", Set.of("v2", "v1")));
                    watch.sync(Duration.ofSeconds(30));
                    assertNull(topic.get("ann/s1"));
                    assertNotNull(topic.get("bob/s1"), "nothing enrolled is lost");
                    assertNotNull(topic.get("ann/s1@v1"));
                    assertNotNull(topic.get("ann/s2@v2"));
                }
            }
        }
    }

    private static void put(KafkaProducer<String, byte[]> producer, GallerySample s) throws Exception {
        producer.send(new ProducerRecord<>(TOPICS.gallery().name(), s.getIdentityId() + "/" + s.getSampleId(),
                TOPICS.gallery().encode(s))).get();
    }

    private static GallerySample sample(String identity, String sampleId, String version, byte[] crop) {
        return GallerySample.newBuilder().setIdentityId(identity).setSampleId(sampleId)
                .setVector(Collections.nCopies(192, (float) Math.sqrt(1.0 / 192)))
                .setModelVersion(version).setEnrolledAt(Instant.EPOCH)
                .setAlignedCrop(crop == null ? null : ByteBuffer.wrap(crop)).build();
    }

    /** A 112×112 PNG of seeded noise: the embedder needs a crop, not a face. */
    private static byte[] noisePng(long seed) {
        OpenCvLoader.ensureLoaded();
        byte[] pixels = new byte[112 * 112 * 3];
        new Random(seed).nextBytes(pixels);
        Mat m = new Mat(112, 112, CvType.CV_8UC3);
        try {
            m.put(0, 0, pixels);
            return PngEncoder.rgb(m);
        } finally {
            m.release();
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** Float lists of Avro records as arrays. */
    private static final class FloatArray {
        static final Collector<Float, ?, float[]> COLLECT = Collectors.collectingAndThen(Collectors.toList(),
                FloatArray::of);

        static float[] of(List<Float> values) {
            float[] out = new float[values.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = values.get(i);
            }
            return out;
        }
    }
}
