package io.facestream.pipeline.stage;

import static io.facestream.pipeline.stage.StageTestKit.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.inference.mtcnn.MtcnnConfig;
import io.facestream.inference.testing.Detection;
import io.facestream.kafka.embedded.EmbeddedKafka;
import io.facestream.kafka.embedded.EmbeddedKafkaConfig;
import io.facestream.kafka.topics.TopicCreator;
import io.facestream.kafka.topics.TopicSpec;
import io.facestream.pipeline.detect.DetectorProcessor;
import io.facestream.pipeline.detect.FrameDetector;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.stage.StageTestKit.Source;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.FaceCrop;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameResult;
import io.facestream.vision.decode.DecodeLimits;
import io.facestream.vision.decode.ImageDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The detector stage's exactly-once guarantee on a real (in-process) broker: whatever happens to a stage
 * instance, every published frame ends up as exactly one {@link FrameResult} (with exactly its faces) or exactly
 * one dead letter, as a {@code read_committed} reader sees it. One broker for the class; each test has its own
 * input topic, consumer group and frame ids, and reads only its own records from the shared output topics.
 */
class DetectorRestartTest {

    private static final Topics TOPICS = new Topics(2);

    private static EmbeddedKafka kafka;
    private static Admin admin;
    private static KafkaProducer<String, byte[]> producer;
    private static List<byte[]> photos;
    private static FrameDetector detector;

    @BeforeAll
    static void start() throws Exception {
        kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()).start();
        admin = Admin.create(kafka.adminClientConfig());
        List<TopicSpec> specs = new ArrayList<>(TOPICS.specs());
        specs.add(TopicSpec.of("frames-flaky", 2));
        specs.add(TopicSpec.of("frames-flaky.dlq", 2));
        TopicCreator.createAll(admin, specs, TIMEOUT);
        producer = StageTestKit.producer(kafka);
        photos = StageTestKit.demoJpegs(320, 6);
        detector = new FrameDetector(new ImageDecoder(DecodeLimits.defaults()),
                Detection.detector(MtcnnConfig.DEFAULT.withMinFaceSize(40)), "mtcnn-test", Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        StageTestKit.closeAll(producer, admin, kafka);
    }

    @Test
    void aRestartedStageAccountsForEveryFrameExactlyOnce() throws Exception {
        Published in = publish("frames", "restart", 30);
        StageConfig config = new StageConfig("detector-restart", "i0", new KafkaClientSettings(kafka.bootstrapServers(), kafka.adminLoginSettings()), "frames", 3,
                Duration.ofMillis(100));
        BatchProcessor processor = new DetectorProcessor(TOPICS, detector, DetectorProcessor.StageListener.NONE);

        TransactionalStage first = new TransactionalStage(config, processor).start();
        StageTestKit.await("a few committed batches", TIMEOUT, () -> first.processedRecords() >= 6);
        first.close();
        long before = first.processedRecords();
        assertTrue(before < in.size(), "the first instance was stopped mid-stream, yet committed all " + before);

        // Same config: same group (resumes from the committed offsets) and same transactional id (fences).
        TransactionalStage second = new TransactionalStage(config, processor).start();
        try {
            StageTestKit.awaitConsumed(admin, config.groupId(), "frames", TIMEOUT);
        } finally {
            second.close();
        }

        assertEquals(in.size() - before, second.processedRecords(),
                "the new instance starts after the last commit of the old one, re-processing nothing committed");
        assertExactlyOnce(in, "frames");
    }

    @Test
    void aProcessorFailureIsRetriedWithoutLosingOrDuplicatingFrames() throws Exception {
        Published in = publish("frames-flaky", "flaky", 10);
        BatchProcessor real = new DetectorProcessor(TOPICS, detector, DetectorProcessor.StageListener.NONE);
        AtomicInteger calls = new AtomicInteger();
        List<Long> failedBatchOffsets = new CopyOnWriteArrayList<>();
        List<Long> retriedOffsets = new CopyOnWriteArrayList<>();
        // Fails the very first attempt, and again later after a batch has been committed: each time after the
        // work was done, as a bug in output handling would.
        BatchProcessor flaky = batch -> {
            int call = calls.incrementAndGet();
            List<StageOutput> out = real.process(batch);
            if (call == 1 || call == 3) {
                batch.forEach(r -> failedBatchOffsets.add(r.offset() * 10 + r.partition()));
                throw new UnsupportedOperationException("injected failure on call " + call);
            }
            batch.forEach(r -> retriedOffsets.add(r.offset() * 10 + r.partition()));
            return out;
        };
        StageConfig config = new StageConfig("detector-flaky", "i0", new KafkaClientSettings(kafka.bootstrapServers(), kafka.adminLoginSettings()), "frames-flaky", 4,
                Duration.ofMillis(100));

        try (TransactionalStage stage = new TransactionalStage(config, flaky).start()) {
            StageTestKit.awaitConsumed(admin, config.groupId(), "frames-flaky", TIMEOUT);
            assertEquals(in.size(), stage.processedRecords(), "committed input records");
        }

        assertTrue(calls.get() >= 4, "calls: " + calls.get());
        assertTrue(retriedOffsets.containsAll(failedBatchOffsets), "every record of a failed batch is processed again");
        assertExactlyOnce(in, "frames-flaky");
    }

    // ---------------------------------------------------------------- fixtures

    /** What was published, with the dead-letter error class expected per record (null: a FrameResult). */
    private record Published(List<ProducerRecord<String, byte[]>> records, List<Source> sources,
            List<String> expectedError, String prefix) {

        int size() {
            return records.size();
        }
    }

    /**
     * {@code n} frames over three cameras: mostly demo photos (with faces), every eighth an image that is not an
     * image, every eighth a JPEG cut in half, plus one record that is not a Frame at all.
     */
    private static Published publish(String topic, String prefix, int n) throws Exception {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String camera = "cam-" + (i % 3);
            byte[] image;
            String error = null;
            if (i % 8 == 5) {
                image = ("not an image " + i).getBytes(StandardCharsets.UTF_8);
                error = "undecodable-image";
            } else if (i % 8 == 7) {
                byte[] jpeg = photos.get(i % photos.size());
                image = Arrays.copyOf(jpeg, jpeg.length / 2);
                error = "undecodable-image";
            } else {
                image = photos.get(i % photos.size());
            }
            Frame frame = Frame.newBuilder().setFrameId(prefix + "-" + i).setCameraId(camera)
                    .setCapturedAt(Instant.ofEpochMilli(1_700_000_000_000L + i * 40L)).setSeq(i)
                    .setImage(ByteBuffer.wrap(image)).setContentType("image/jpeg").build();
            records.add(new ProducerRecord<>(topic, camera, TOPICS.frames().valueSerde().serializer().serialize(topic, frame)));
            expected.add(error);
        }
        records.add(new ProducerRecord<>(topic, "cam-0", ("not a frame: " + prefix).getBytes(StandardCharsets.UTF_8)));
        expected.add("not-avro");
        return new Published(records, StageTestKit.sendAll(producer, records), expected, prefix);
    }

    /**
     * Every published frame has exactly one FrameResult (and exactly its faceCount faces) or exactly one dead
     * letter whose headers point back at it; nothing else of this test is on the output topics.
     */
    private static void assertExactlyOnce(Published in, String inputTopic) {
        Map<String, Integer> resultsByFrame = new TreeMap<>();
        Map<String, FrameResult> results = new HashMap<>();
        Map<String, List<String>> facesByFrame = new HashMap<>();
        Map<Source, Integer> lettersBySource = new HashMap<>();
        Map<Source, ConsumerRecord<String, byte[]>> letters = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : StageTestKit.readCommitted(kafka,
                List.of(TOPICS.frameResults().name(), TOPICS.faces().name(), inputTopic + ".dlq"))) {
            if (r.topic().equals(TOPICS.frameResults().name())) {
                FrameResult fr = TOPICS.frameResults().valueSerde().deserializer().deserialize(r.topic(), r.value());
                if (fr.getFrameId().startsWith(in.prefix() + "-")) {
                    resultsByFrame.merge(fr.getFrameId(), 1, Integer::sum);
                    results.put(fr.getFrameId(), fr);
                    assertEquals(fr.getCameraId(), r.key(), "frame results are keyed by camera");
                }
            } else if (r.topic().equals(TOPICS.faces().name())) {
                FaceCrop f = TOPICS.faces().valueSerde().deserializer().deserialize(r.topic(), r.value());
                if (f.getFrameId().startsWith(in.prefix() + "-")) {
                    facesByFrame.computeIfAbsent(f.getFrameId(), k -> new ArrayList<>()).add(f.getFaceId());
                }
            } else {
                Source s = StageTestKit.sourceOf(r);
                lettersBySource.merge(s, 1, Integer::sum);
                letters.put(s, r);
            }
        }

        Set<String> wantResults = new HashSet<>();
        Map<Source, Integer> wantLetters = new LinkedHashMap<>();
        for (int i = 0; i < in.size(); i++) {
            if (in.expectedError().get(i) == null) {
                wantResults.add(in.prefix() + "-" + i);
            } else {
                wantLetters.put(in.sources().get(i), 1);
            }
        }
        Map<String, Integer> once = wantResults.stream()
                .collect(Collectors.toMap(id -> id, id -> 1, (a, b) -> a, TreeMap::new));
        assertEquals(once, resultsByFrame, "one FrameResult per decodable frame");
        assertEquals(wantLetters, lettersBySource, "one dead letter per bad record, by source partition/offset");

        int faces = 0;
        for (FrameResult fr : results.values()) {
            List<String> want = IntStream.range(0, fr.getFaceCount()).mapToObj(k -> fr.getFrameId() + "-" + k).toList();
            List<String> got = facesByFrame.getOrDefault(fr.getFrameId(), List.of()).stream().sorted().toList();
            assertEquals(want.stream().sorted().toList(), got, "faces of " + fr.getFrameId());
            faces += fr.getFaceCount();
        }
        assertTrue(faces >= results.size() / 2, "the demo photos show faces; found " + faces + " in "
                + results.size() + " frames");

        for (int i = 0; i < in.size(); i++) {
            String error = in.expectedError().get(i);
            if (error != null) {
                Source s = in.sources().get(i);
                StageTestKit.assertDeadLetter(letters.get(s), in.records().get(i), DetectorProcessor.STAGE, error);
                assertEquals(inputTopic, s.topic());
            }
        }
    }
}
