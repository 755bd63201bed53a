package io.facestream.pipeline.stage;

import static io.facestream.pipeline.stage.StageTestKit.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.quality.QualityConfig;
import io.facestream.core.quality.QualityGate;
import io.facestream.inference.mtcnn.MtcnnConfig;
import io.facestream.inference.testing.Detection;
import io.facestream.inference.testing.SharedData;
import io.facestream.kafka.embedded.EmbeddedKafka;
import io.facestream.kafka.embedded.EmbeddedKafkaConfig;
import io.facestream.kafka.topics.TopicCreator;
import io.facestream.kafka.topics.TopicSpec;
import io.facestream.pipeline.detect.DetectorProcessor;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.detect.DetectorSettings;
import io.facestream.pipeline.detect.FrameDetector;
import io.facestream.pipeline.detect.SkipReason;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.FaceCrop;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameResult;
import io.facestream.vision.decode.DecodeLimits;
import io.facestream.vision.decode.ImageDecoder;
import io.facestream.vision.motion.MotionConfig;
import io.facestream.vision.motion.MotionGates;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Motion gating and load shedding through the real stage on the in-process broker: skipped frames still get
 * exactly one {@link FrameResult}, with the reason, and the frames that matter are detected. Each test has its
 * own single-partition input topic (one poll sees the whole backlog), group and frame ids.
 */
class DetectorGatingTest {

    private static final Topics TOPICS = new Topics(2);
    /** Lenient enough for every face of the test photo; the gate itself is unit-tested in face-core. */
    private static final QualityGate EMBEDDING_GATE = new QualityGate(24, 15, 0.05, 0);

    private static EmbeddedKafka kafka;
    private static Admin admin;
    private static KafkaProducer<String, byte[]> producer;
    private static byte[] photo;

    @BeforeAll
    static void start() throws Exception {
        photo = StageTestKit.scaledJpeg(SharedData.require("faces-dev/human_samples/person_vlado/person-vlado.jpg"),
                480);
        kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start();
        admin = Admin.create(kafka.adminClientConfig());
        List<TopicSpec> specs = new ArrayList<>(TOPICS.specs());
        for (String t : List.of("frames-static", "frames-backlog")) {
            specs.add(TopicSpec.of(t, 1));
            specs.add(TopicSpec.of(t + ".dlq", 1));
        }
        TopicCreator.createAll(admin, specs, TIMEOUT);
        producer = StageTestKit.producer(kafka);
    }

    @AfterAll
    static void stop() {
        StageTestKit.closeAll(producer, admin, kafka);
    }

    @Test
    void aStaticSceneIsDetectedOnlyOnItsFirstFrameAndKeyframes() throws Exception {
        // Shedding is set far out: this test is about the motion gate, and a slow machine must not shed.
        FrameDetector detector = detector(new DetectorSettings(Duration.ofMinutes(5), 4, QualityConfig.DEFAULT,
                EMBEDDING_GATE));
        long t0 = System.currentTimeMillis();
        List<Frame> frames = IntStream.range(0, 60).mapToObj(i -> frame("static-" + i, "lobby", t0 + 200L * i, i))
                .toList();
        Counted counted = run("frames-static", "detector-static", detector, frames);

        Map<String, FrameResult> results = collect(frames, "static-", counted.faces);
        List<Integer> detected = IntStream.range(0, 60).filter(i -> results.get("static-" + i).getSkipReason() == null)
                .boxed().toList();
        // The same JPEG bytes decode to the same pixels: nothing ever changes, so only the first frame and one
        // keyframe per 2 s of camera time (every 10th frame at 5 fps) are detected.
        assertEquals(List.of(0, 10, 20, 30, 40, 50), detected);
        long noMotion = results.values().stream().filter(r -> "no-motion".equals(r.getSkipReason())).count();
        assertEquals(54, noMotion);
        assertTrue(noMotion >= 50);
        assertEquals(54, counted.skipped.getOrDefault(SkipReason.NO_MOTION, new AtomicInteger()).get(), "metrics");
        for (int i : detected) {
            FrameResult r = results.get("static-" + i);
            assertTrue(r.getFaceCount() >= 1, "the photo shows a face: " + r);
        }
    }

    @Test
    void aBacklogIsShedExceptEachCamerasNewestFrame() throws Exception {
        FrameDetector detector = detector(new DetectorSettings(Duration.ofSeconds(2), 4, QualityConfig.DEFAULT,
                EMBEDDING_GATE));
        long now = System.currentTimeMillis();
        long old = now - 60_000;
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            frames.add(frame("backlog-a" + i, "door", old + 200L * i, i));
            frames.add(frame("backlog-b" + i, "yard", old + 200L * i, i));
        }
        // The door camera has caught up with the present; the yard camera's newest frame is old too.
        frames.add(frame("backlog-a5", "door", now, 5));
        Counted counted = run("frames-backlog", "detector-backlog", detector, frames);

        Map<String, FrameResult> results = collect(frames, "backlog-", counted.faces);
        for (int i = 0; i < 5; i++) {
            assertEquals("load-shed", results.get("backlog-a" + i).getSkipReason(), "door frame " + i);
        }
        for (int i = 0; i < 4; i++) {
            assertEquals("load-shed", results.get("backlog-b" + i).getSkipReason(), "yard frame " + i);
        }
        for (String newest : List.of("backlog-a5", "backlog-b4")) {
            FrameResult r = results.get(newest);
            assertNull(r.getSkipReason(), newest + " is its camera's newest frame: the present gets through");
            assertTrue(r.getFaceCount() >= 1, newest + ": " + r);
        }
        assertEquals(9, counted.skipped.get(SkipReason.LOAD_SHED).get(), "metrics");
    }

    // ---------------------------------------------------------------- fixtures

    private static FrameDetector detector(DetectorSettings settings) {
        return new FrameDetector(new ImageDecoder(DecodeLimits.defaults()),
                Detection.detector(MtcnnConfig.DEFAULT.withMinFaceSize(40)), "mtcnn-test", Clock.systemUTC(),
                new MotionGates(4096, camera -> MotionConfig.DEFAULT), settings);
    }

    private static Frame frame(String id, String camera, long capturedAt, int seq) {
        return Frame.newBuilder().setFrameId(id).setCameraId(camera).setCapturedAt(Instant.ofEpochMilli(capturedAt))
                .setSeq(seq).setImage(ByteBuffer.wrap(photo)).setContentType("image/jpeg").build();
    }

    /** What the stage listener saw. */
    private record Counted(Map<SkipReason, AtomicInteger> skipped, AtomicInteger faces) {
    }

    /** Publishes the frames, then runs the stage until it has consumed them all. */
    private static Counted run(String topic, String stageName, FrameDetector detector, List<Frame> frames)
            throws Exception {
        List<ProducerRecord<String, byte[]>> records = frames.stream().map(f -> new ProducerRecord<>(topic,
                f.getCameraId(), TOPICS.frames().valueSerde().serializer().serialize(topic, f))).toList();
        StageTestKit.sendAll(producer, records);
        Counted counted = new Counted(new ConcurrentHashMap<>(), new AtomicInteger());
        DetectorProcessor.StageListener listener = new DetectorProcessor.StageListener() {
            @Override
            public void skipped(String cameraId, SkipReason reason) {
                counted.skipped.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet();
            }

            @Override
            public void frame(int faces, long latencyMs) {
                counted.faces.addAndGet(faces);
            }
        };
        StageConfig config = new StageConfig(stageName, "i0", new KafkaClientSettings(kafka.bootstrapServers(), kafka.adminLoginSettings()), topic, 100,
                Duration.ofMillis(200));
        try (TransactionalStage stage = new TransactionalStage(config,
                new DetectorProcessor(TOPICS, detector, listener)).start()) {
            StageTestKit.awaitConsumed(admin, config.groupId(), topic, TIMEOUT);
        }
        return counted;
    }

    /**
     * The committed FrameResults of these frames, checking that each frame has exactly one and that the faces
     * on {@code faces} are exactly those the results count, each with its quality.
     */
    private static Map<String, FrameResult> collect(List<Frame> frames, String prefix, AtomicInteger listenedFaces) {
        Map<String, Integer> count = new TreeMap<>();
        Map<String, FrameResult> results = new HashMap<>();
        Map<String, List<FaceCrop>> faces = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : StageTestKit.readCommitted(kafka,
                List.of(TOPICS.frameResults().name(), TOPICS.faces().name()))) {
            if (r.topic().equals(TOPICS.frameResults().name())) {
                FrameResult fr = TOPICS.frameResults().valueSerde().deserializer().deserialize(r.topic(), r.value());
                if (fr.getFrameId().startsWith(prefix)) {
                    count.merge(fr.getFrameId(), 1, Integer::sum);
                    results.put(fr.getFrameId(), fr);
                }
            } else {
                FaceCrop f = TOPICS.faces().valueSerde().deserializer().deserialize(r.topic(), r.value());
                if (f.getFrameId().startsWith(prefix)) {
                    faces.computeIfAbsent(f.getFrameId(), k -> new ArrayList<>()).add(f);
                }
            }
        }
        Map<String, Integer> once = frames.stream().collect(Collectors.toMap(Frame::getFrameId, f -> 1, (a, b) -> a,
                TreeMap::new));
        assertEquals(once, count, "exactly one FrameResult per frame, skipped ones included");
        int total = 0;
        for (FrameResult r : results.values()) {
            List<FaceCrop> mine = faces.getOrDefault(r.getFrameId(), List.of());
            assertEquals(r.getFaceCount(), mine.size(), "faces of " + r.getFrameId());
            if (r.getSkipReason() != null) {
                assertEquals(0, r.getFaceCount(), "a skipped frame has no faces");
            }
            mine.forEach(f -> assertNotNull(f.getQuality(), "quality of " + f.getFaceId()));
            total += mine.size();
        }
        assertEquals(listenedFaces.get(), total, "the listener saw the emitted faces");
        return results;
    }
}
