package io.facestream.pipeline.stage;

import static io.facestream.pipeline.stage.StageTestKit.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.inference.embedding.FaceEmbedder;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.inference.mtcnn.MtcnnConfig;
import io.facestream.inference.testing.Detection;
import io.facestream.inference.testing.SharedModels;
import io.facestream.kafka.embedded.EmbeddedKafka;
import io.facestream.kafka.embedded.EmbeddedKafkaConfig;
import io.facestream.kafka.topics.TopicCreator;
import io.facestream.pipeline.deadletter.DeadLetter;
import io.facestream.pipeline.detect.FrameDetector;
import io.facestream.pipeline.embed.CropEmbedder;
import io.facestream.pipeline.embed.EmbedderProcessor;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.stage.StageTestKit.Source;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.FaceCrop;
import io.facestream.schema.FaceQuality;
import io.facestream.schema.FaceEmbedding;
import io.facestream.schema.Frame;
import io.facestream.vision.decode.DecodeLimits;
import io.facestream.vision.decode.ImageDecoder;
import io.facestream.vision.encode.PngEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

/**
 * The embedder stage's exactly-once guarantee on a real (in-process) broker: stopped mid-stream and replaced
 * by a new instance, it still turns every face into exactly one embedding or exactly one dead letter.
 */
class EmbedderRestartTest {

    private static final Topics TOPICS = new Topics(2);
    private static final String MODEL = "mobilefacenet-test";

    private static EmbeddedKafka kafka;
    private static Admin admin;
    private static KafkaProducer<String, byte[]> producer;
    /** Real aligned faces of the demo photos, as the detector stage emits them. */
    private static List<FaceCrop> crops;
    private static CropEmbedder embedder;

    @BeforeAll
    static void start() throws Exception {
        kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start();
        admin = Admin.create(kafka.adminClientConfig());
        TopicCreator.createAll(admin, TOPICS.specs(), TIMEOUT);
        producer = StageTestKit.producer(kafka);
        FrameDetector detector = new FrameDetector(new ImageDecoder(DecodeLimits.defaults()),
                Detection.detector(MtcnnConfig.DEFAULT.withMinFaceSize(40)), "mtcnn-test", Clock.systemUTC());
        crops = new ArrayList<>();
        int n = 0;
        for (byte[] jpeg : StageTestKit.demoJpegs(320, 3)) {
            Frame frame = Frame.newBuilder().setFrameId("demo-" + n++).setCameraId("cam").setCapturedAt(Instant.EPOCH)
                    .setSeq(n).setImage(ByteBuffer.wrap(jpeg)).build();
            crops.addAll(detector.detect(frame).faces());
        }
        assertTrue(crops.size() >= 3, "faces in the demo photos: " + crops.size());
        embedder = new CropEmbedder(new FaceEmbedder(SharedModels.get().mobileFaceNet(), 8), MODEL);
    }

    @AfterAll
    static void stop() {
        StageTestKit.closeAll(producer, admin, kafka);
    }

    @Test
    void aRestartedStageAccountsForEveryFaceExactlyOnce() throws Exception {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        List<String> expectedError = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String camera = "cam-" + (i % 3);
            FaceCrop.Builder face = FaceCrop.newBuilder(crops.get(i % crops.size())).setFaceId("restart-" + i)
                    .setFrameId("restart-frame-" + i).setCameraId(camera);
            String error = null;
            if (i % 8 == 5) {
                face.setAlignedCrop(ByteBuffer.wrap("not a png".getBytes(StandardCharsets.UTF_8)));
                error = "undecodable-crop";
            } else if (i % 8 == 7) {
                face.setAlignedCrop(ByteBuffer.wrap(grayPng(64)));
                error = "bad-crop-size";
            }
            records.add(new ProducerRecord<>("faces", camera,
                    TOPICS.faces().valueSerde().serializer().serialize("faces", face.build())));
            expectedError.add(error);
        }
        records.add(new ProducerRecord<>("faces", "cam-1", "not a face".getBytes(StandardCharsets.UTF_8)));
        expectedError.add("not-avro");
        records.add(new ProducerRecord<>("faces", "cam-2", new byte[0]));
        expectedError.add("empty-record");
        List<Source> sources = StageTestKit.sendAll(producer, records);

        StageConfig config = new StageConfig("embedder-restart", "i0", new KafkaClientSettings(kafka.bootstrapServers(), kafka.adminLoginSettings()), "faces", 4,
                Duration.ofMillis(100));
        BatchProcessor processor = new EmbedderProcessor(TOPICS, () -> embedder);
        TransactionalStage first = new TransactionalStage(config, processor).start();
        StageTestKit.await("a few committed batches", TIMEOUT, () -> first.processedRecords() >= 8);
        first.close();
        long before = first.processedRecords();
        assertTrue(before < records.size(), "the first instance was stopped mid-stream, yet committed all " + before);

        TransactionalStage second = new TransactionalStage(config, processor).start();
        try {
            StageTestKit.awaitConsumed(admin, config.groupId(), "faces", TIMEOUT);
        } finally {
            second.close();
        }
        assertEquals(records.size() - before, second.processedRecords(), "nothing committed is processed again");

        Map<String, Integer> embeddingsByFace = new TreeMap<>();
        Map<Source, Integer> lettersBySource = new HashMap<>();
        Map<Source, ConsumerRecord<String, byte[]>> letters = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : StageTestKit.readCommitted(kafka,
                List.of("embeddings", "faces.dlq"))) {
            if (r.topic().equals("embeddings")) {
                FaceEmbedding e = TOPICS.embeddings().valueSerde().deserializer().deserialize(r.topic(), r.value());
                embeddingsByFace.merge(e.getFaceId(), 1, Integer::sum);
                assertEquals(e.getCameraId(), r.key(), "embeddings are keyed by camera");
                assertEquals(MODEL, e.getModelVersion());
                assertEquals(MobileFaceNet.EMBEDDING_SIZE, e.getVector().size());
                double norm = Math.sqrt(e.getVector().stream().mapToDouble(v -> v * v).sum());
                assertEquals(1.0, norm, 1e-4, "L2 norm of " + e.getFaceId());
                assertNotNull(e.getQuality(), "the detector's quality travels on");
                assertNotNull(e.getBox(), "the face box travels on");
            } else {
                Source s = StageTestKit.sourceOf(r);
                lettersBySource.merge(s, 1, Integer::sum);
                letters.put(s, r);
            }
        }

        Map<String, Integer> wantEmbeddings = new TreeMap<>();
        Map<Source, Integer> wantLetters = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            if (expectedError.get(i) == null) {
                wantEmbeddings.put("restart-" + i, 1);
            } else {
                wantLetters.put(sources.get(i), 1);
            }
        }
        assertEquals(wantEmbeddings, embeddingsByFace, "one embedding per usable face");
        assertEquals(wantLetters, lettersBySource, "one dead letter per bad record, by source partition/offset");
        for (int i = 0; i < records.size(); i++) {
            if (expectedError.get(i) != null) {
                StageTestKit.assertDeadLetter(letters.get(sources.get(i)), records.get(i), EmbedderProcessor.STAGE,
                        expectedError.get(i));
            }
        }
    }

    /**
     * Two byte-identical bad records in one batch (a re-sent record upstream) are two dead letters, each naming
     * its own offset: the headers must say where each record came from, not where an equal one did.
     */
    @Test
    void identicalBadRecordsInOneBatchKeepTheirOwnSourceOffsets() {
        FaceCrop bad = FaceCrop.newBuilder(crops.get(0)).setFaceId("dup")
                .setAlignedCrop(ByteBuffer.wrap("not a png".getBytes(StandardCharsets.UTF_8))).build();
        byte[] bytes = TOPICS.faces().valueSerde().serializer().serialize("faces", bad);
        FaceCrop good = FaceCrop.newBuilder(crops.get(0)).setFaceId("good").build();
        List<ConsumerRecord<String, byte[]>> batch = List.of(
                new ConsumerRecord<>("faces", 1, 10L, "cam", bytes),
                new ConsumerRecord<>("faces", 1, 11L, "cam",
                        TOPICS.faces().valueSerde().serializer().serialize("faces", good)),
                new ConsumerRecord<>("faces", 1, 12L, "cam", bytes.clone()));

        List<StageOutput> out = new EmbedderProcessor(TOPICS, () -> embedder).process(batch);

        List<String> offsets = out.stream().filter(o -> o.topic().equals("faces.dlq"))
                .map(o -> new String(o.headers().get(DeadLetter.SOURCE_OFFSET), StandardCharsets.UTF_8)).toList();
        assertEquals(List.of("10", "12"), offsets);
        assertEquals(1, out.stream().filter(o -> o.topic().equals("embeddings")).count());
    }

    /**
     * The embedding keeps the crop's box and quality (the matcher's tracker follows faces by box and weights
     * them by quality); a crop without quality (a detector that does not measure it) gives a null quality.
     */
    @Test
    void anEmbeddingCarriesTheBoxAndQualityOfItsCrop() {
        FaceQuality quality = FaceQuality.newBuilder().setScore(0.75f).setWidthPx(120).setHeightPx(150)
                .setSharpness(210.5f).setFrontality(0.9f).build();
        FaceCrop withQuality = FaceCrop.newBuilder(crops.get(0)).setFaceId("q").setQuality(quality).build();
        FaceCrop without = FaceCrop.newBuilder(crops.get(0)).setFaceId("no-q").setQuality(null).build();

        List<CropEmbedder.Outcome> out = embedder.embed(List.of(withQuality, without));

        assertEquals(crops.get(0).getBox(), out.get(0).embedding().getBox());
        assertEquals(quality, out.get(0).embedding().getQuality());
        assertEquals(crops.get(0).getBox(), out.get(1).embedding().getBox());
        assertNull(out.get(1).embedding().getQuality());
    }

    /** A valid PNG that is not 112×112. */
    private static byte[] grayPng(int side) {
        Mat m = new Mat(side, side, CvType.CV_8UC3, new Scalar(128, 128, 128));
        try {
            return PngEncoder.rgb(m);
        } finally {
            m.release();
        }
    }
}
