package io.facestream.services.allinone.scaleout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.quality.QualityConfig;
import io.facestream.core.quality.QualityGate;
import io.facestream.inference.testing.Detection;
import io.facestream.inference.testing.SharedData;
import io.facestream.kafka.embedded.EmbeddedKafka;
import io.facestream.kafka.embedded.EmbeddedKafkaConfig;
import io.facestream.kafka.topics.TopicCreator;
import io.facestream.pipeline.gallery.GalleryRecords;
import io.facestream.pipeline.deadletter.DeadLetter;
import io.facestream.pipeline.enroll.Enroller;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Decision;
import io.facestream.schema.FaceCrop;
import io.facestream.schema.FaceEmbedding;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameResult;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import io.facestream.schema.Match;
import io.facestream.services.allinone.scaleout.ScaleOutStages.Instance;
import io.facestream.services.allinone.scaleout.ScaleOutStages.Stage;
import io.facestream.vision.OpenCvLoader;
import io.facestream.vision.decode.DecodeLimits;
import io.facestream.vision.decode.ImageDecoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.clients.admin.TransactionState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out on the in-process broker: two detector, two embedder and two matcher instances share the work of
 * four cameras (each pair one consumer group, each instance its own transactional id). One instance of each
 * stage runs in a JVM of its own and is killed with SIGKILL in the middle of the stream: no close, no leaving
 * the group, its open transaction left to the coordinator's timeout, which aborts it and fences its producer.
 * Its partitions move to the survivor, which runs in this JVM. At the end, as {@code read_committed} readers see
 * the topics, every frame has exactly one result or one dead letter, every face exactly one embedding and
 * exactly one match, and the matches name the enrolled people.
 */
class ScaleOutTest {

    private static final Topics TOPICS = ScaleOutStages.TOPICS;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int FRAMES = 160;
    private static final long FRAME_GAP_MS = 25;
    /** Every 40th frame is not an image: the detector dead-letters it. */
    private static final int BAD_EVERY = 40;
    /** A victim is killed once it has handled this many records (of about 40 the first half gives it). */
    private static final int KILL_AFTER = 8;
    /** The enrollment gate of PipelineConfig's defaults (enrollment-min-*). */
    private static final QualityGate ENROLLMENT_GATE = new QualityGate(48, 40, 0.2, 0.4);

    private EmbeddedKafka kafka;
    private Admin admin;
    private KafkaProducer<String, byte[]> producer;
    private final List<Instance> survivors = new ArrayList<>();
    private final List<Child> children = new ArrayList<>();

    @AfterEach
    void stop() {
        children.forEach(Child::kill);
        survivors.forEach(Instance::close);
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void twoInstancesPerStageLoseNothingAndDuplicateNothingWhenOneOfEachIsKilled(@TempDir Path work)
            throws Exception {
        Path johns = SharedData.require("faces-dev/dlib_johns");
        OpenCvLoader.ensureLoaded();
        // The coordinator looks for timed-out transactions every second instead of every 10 s, so a killed
        // instance's open transaction is aborted about 10 s after its last write (TransactionalStage's timeout).
        kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults()
                .withOverride("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000")).start();
        admin = Admin.create(kafka.adminClientConfig());
        TopicCreator.createAll(admin, TOPICS.specs(), Duration.ofSeconds(30));
        Map<String, Object> pc = new HashMap<>(kafka.adminClientConfig());
        pc.put(ProducerConfig.ACKS_CONFIG, "all");
        pc.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 << 20);
        producer = new KafkaProducer<>(pc, new StringSerializer(), new ByteArraySerializer());
        KafkaClientSettings settings = new KafkaClientSettings(kafka.bootstrapServers(), kafka.adminLoginSettings());

        log("broker up");
        // Each stage: a victim in a child JVM, a survivor here. The detector and embedder victims load their
        // models while this JVM enrolls; the matchers start once the gallery is written (they wait for it).
        Map<Stage, Child> victims = new EnumMap<>(Stage.class);
        Map<Stage, Instance> survivorOf = new EnumMap<>(Stage.class);
        for (Stage stage : List.of(Stage.DETECTOR, Stage.EMBEDDER)) {
            startVictim(stage, work, victims);
        }

        // Enroll each person from two photos; their other photos are the frames.
        Map<Path, String> personOf = new HashMap<>();
        List<Path> probes = new ArrayList<>();
        Enroller enroller = new Enroller(new ImageDecoder(DecodeLimits.defaults()),
                Detection.analyzer(ScaleOutStages.MTCNN), ScaleOutStages.MODEL, Clock.systemUTC(),
                QualityConfig.DEFAULT, ENROLLMENT_GATE, 0);
        try (Stream<Path> people = Files.list(johns)) {
            for (Path person : people.filter(Files::isDirectory).sorted().toList()) {
                String id = person.getFileName().toString();
                List<Path> photos = jpegs(person);
                send(TOPICS.identities().name(), id, TOPICS.identities().encode(Identity.newBuilder()
                        .setIdentityId(id).setDisplayName(id).setCreatedAt(Instant.now()).build()));
                for (Path photo : photos.subList(0, 2)) {
                    GallerySample s = enroller.enroll(id, Files.readAllBytes(photo)).sample();
                    send(TOPICS.gallery().name(), GalleryRecords.key(s).toString(), TOPICS.gallery().encode(s));
                }
                for (Path probe : photos.subList(2, photos.size())) {
                    probes.add(probe);
                    personOf.put(probe, id);
                }
            }
        }
        producer.flush();
        assertTrue(personOf.values().stream().distinct().count() >= 4, "people in dlib_johns: " + personOf);

        log("enrolled %d people", personOf.values().stream().distinct().count());
        startVictim(Stage.MATCHER, work, victims);
        for (Stage stage : Stage.values()) {
            Instance survivor = ScaleOutStages.start(stage, "survivor", settings,
                    Files.createDirectories(work.resolve("state-" + stage + "-survivor")));
            survivors.add(survivor);
            survivorOf.put(stage, survivor);
        }
        for (Child c : victims.values()) {
            await(c + " ready", () -> c.ready || !c.process.isAlive());
            assertTrue(c.process.isAlive(), c + " died while starting: " + c.lastLines());
        }
        log("victims ready");
        for (Stage stage : Stage.values()) {
            await("two members in group " + stage.group(), () -> members(stage.group()).size() == 2
                    && members(stage.group()).stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty()));
        }

        // Four cameras on four different partitions, so each instance of a pair has cameras of its own.
        List<String> cameras = camerasOnDistinctPartitions(4);
        Map<String, String> expectedPerson = new TreeMap<>(); // frame id → person, "" for a frame that is no image
        List<ProducerRecord<String, byte[]>> frames = new ArrayList<>();
        for (int i = 0; i < FRAMES; i++) {
            String camera = cameras.get(i % cameras.size());
            String frameId = "f-" + i;
            byte[] image;
            if (i % BAD_EVERY == BAD_EVERY / 2) {
                image = ("not an image " + i).getBytes(StandardCharsets.UTF_8);
                expectedPerson.put(frameId, "");
            } else {
                Path probe = probes.get((i * 7) % probes.size());
                image = Files.readAllBytes(probe);
                expectedPerson.put(frameId, personOf.get(probe));
            }
            Frame f = Frame.newBuilder().setFrameId(frameId).setCameraId(camera).setCapturedAt(Instant.now())
                    .setSeq(i / cameras.size()).setImage(ByteBuffer.wrap(image)).setContentType("image/jpeg").build();
            frames.add(new ProducerRecord<>(TOPICS.frames().name(), camera, TOPICS.frames().encode(f)));
        }
        // The first half of the stream, then the kills, then the second half: each victim dies in the middle of the
        // stream however fast or slow this machine is.
        AtomicInteger published = new AtomicInteger();
        CountDownLatch killed = new CountDownLatch(1);
        Thread publisher = new Thread(() -> {
            try {
                for (int i = 0; i < frames.size(); i++) {
                    if (i == frames.size() / 2 && !killed.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                    producer.send(frames.get(i));
                    producer.flush();
                    published.incrementAndGet();
                    Thread.sleep(FRAME_GAP_MS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "frame-publisher");
        long begin = System.nanoTime();
        log("streaming");
        publisher.start();

        // Kill each victim once it has done some work.
        Map<Stage, Integer> publishedAtKill = new EnumMap<>(Stage.class);
        Map<Stage, Long> survivorAtKill = new EnumMap<>(Stage.class);
        long killDeadline = System.nanoTime() + 2 * TIMEOUT.toNanos();
        while (publishedAtKill.size() < victims.size()) {
            for (var e : victims.entrySet()) {
                Child c = e.getValue();
                if (!publishedAtKill.containsKey(e.getKey()) && c.progress >= KILL_AFTER) {
                    c.kill();
                    publishedAtKill.put(e.getKey(), published.get());
                    survivorAtKill.put(e.getKey(), survivorOf.get(e.getKey()).progress());
                    log("killed %s", c);
                }
                assertTrue(c.process.isAlive() || publishedAtKill.containsKey(e.getKey()),
                        c + " died before it was killed: " + c.lastLines());
            }
            assertTrue(System.nanoTime() < killDeadline, "victims' progress " + victims);
            Thread.sleep(20);
        }
        killed.countDown();
        for (var e : victims.entrySet()) {
            assertEquals(137, e.getValue().process.exitValue(), e.getValue() + " ended by SIGKILL (128 + 9)");
            assertTrue(publishedAtKill.get(e.getKey()) <= FRAMES / 2, e.getKey() + " killed in the middle of the"
                    + " stream: " + publishedAtKill);
        }
        publisher.join(TIMEOUT.toMillis());
        assertEquals(FRAMES, published.get(), "frames published");
        log("all %d frames published", FRAMES);

        // The survivors take over the victims' partitions and finish the stream.
        awaitConsumed(Stage.DETECTOR);
        log("detector group consumed the frames");
        awaitConsumed(Stage.EMBEDDER);
        log("embedder group consumed the faces");
        Set<String> faceIds = faceIds();
        await("a committed match for each of " + faceIds.size() + " faces",
                () -> matchesByFace().keySet().containsAll(faceIds));
        double seconds = (System.nanoTime() - begin) / 1e9;
        log("every face matched");
        for (Stage stage : Stage.values()) {
            List<MemberDescription> left = members(stage.group());
            assertEquals(1, left.size(), stage + ": only the survivor is left in the group: " + left);
            assertEquals(TOPICS.partitions(), left.get(0).assignment().topicPartitions().stream()
                    .filter(tp -> tp.topic().equals(stage.inputTopic())).count(),
                    stage + ": the survivor owns every input partition");
            assertTrue(survivorOf.get(stage).progress() > survivorAtKill.get(stage),
                    stage + ": the survivor went on after the kill");
        }
        survivors.forEach(Instance::close);
        survivors.clear();

        // Nothing is left open: the victims' transactions were aborted by the coordinator.
        Collection<TransactionListing> transactions = admin.listTransactions().all().get();
        assertTrue(transactions.stream().noneMatch(t -> t.state() == TransactionState.ONGOING
                || t.state() == TransactionState.PREPARE_ABORT || t.state() == TransactionState.PREPARE_COMMIT),
                "open transactions: " + transactions);
        // For the log: whether each instance died inside a transaction (CompleteAbort: aborted on its timeout, its
        // epoch bumped so that producer is fenced) or between two (CompleteCommit).
        admin.describeTransactions(transactions.stream().map(TransactionListing::transactionalId).toList()).all()
                .get().forEach((id, d) -> log("transactional id %s: %s, producer epoch %d", id, d.state(),
                        d.producerEpoch()));

        assertEveryFrameOnce(expectedPerson);
        Map<String, Match> matches = assertEveryFaceOnce(faceIds);
        int good = 0;
        int correct = 0;
        for (var e : expectedPerson.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            good++;
            Match best = matches.values().stream().filter(m -> m.getFrameId().equals(e.getKey()))
                    .filter(m -> m.getDecision() == Decision.KNOWN)
                    .max((a, b) -> Double.compare(a.getCandidates().get(0).getScore(),
                            b.getCandidates().get(0).getScore())).orElse(null);
            if (best != null && best.getCandidates().get(0).getIdentityId().equals(e.getValue())) {
                correct++;
            }
        }
        System.out.printf("scale-out: %d frames (%d good), %d faces, %d matches, top-1 correct %d; killed at "
                + "%s frames published; stream done in %.1f s%n", FRAMES, good, faceIds.size(), matches.size(),
                correct, publishedAtKill, seconds);
        assertTrue(correct >= 0.9 * good, "frames whose best match is their person: " + correct + " of " + good);
    }

    private void startVictim(Stage stage, Path work, Map<Stage, Child> victims) throws IOException {
        Child victim = Child.start(stage, "victim", kafka, work);
        children.add(victim);
        victims.put(stage, victim);
    }

    // ---------------------------------------------------------------- exactly-once checks

    /** One FrameResult per image frame, one dead letter per frame that is no image, nothing else. */
    private void assertEveryFrameOnce(Map<String, String> expectedPerson) {
        Map<String, Integer> outcomes = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : readCommitted(TOPICS.frameResults().name())) {
            FrameResult fr = TOPICS.frameResults().valueSerde().deserializer().deserialize(r.topic(), r.value());
            outcomes.merge(fr.getFrameId() + " result", 1, Integer::sum);
        }
        for (ConsumerRecord<String, byte[]> r : readCommitted(TOPICS.frames().deadLetterTopic())) {
            Frame f = TOPICS.frames().valueSerde().deserializer().deserialize(r.topic(), r.value());
            String kind = new String(r.headers().lastHeader(DeadLetter.ERROR_CLASS).value(), StandardCharsets.UTF_8);
            outcomes.merge(f.getFrameId() + " dead letter " + kind, 1, Integer::sum);
        }
        Map<String, Integer> want = new TreeMap<>();
        expectedPerson.forEach((frame, person) -> want.put(frame + (person.isEmpty()
                ? " dead letter undecodable-image" : " result"), 1));
        assertEquals(want, outcomes, "exactly one result or dead letter per frame");
    }

    /**
     * Every face the frame results announce is on the faces topic once, has one embedding and one match, and no
     * stage dead-lettered a face; returns the matches by face id.
     */
    private Map<String, Match> assertEveryFaceOnce(Set<String> faceIds) {
        Map<String, Integer> announced = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : readCommitted(TOPICS.frameResults().name())) {
            FrameResult fr = TOPICS.frameResults().valueSerde().deserializer().deserialize(r.topic(), r.value());
            for (int k = 0; k < fr.getFaceCount(); k++) {
                announced.put(fr.getFrameId() + "-" + k, 1);
            }
        }
        Map<String, Integer> faces = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : readCommitted(TOPICS.faces().name())) {
            FaceCrop f = TOPICS.faces().valueSerde().deserializer().deserialize(r.topic(), r.value());
            faces.merge(f.getFaceId(), 1, Integer::sum);
        }
        assertEquals(announced, faces, "each face of a frame result once on the faces topic");
        assertEquals(announced.keySet(), faceIds);
        assertTrue(faces.size() >= FRAMES * 0.8, "faces found in " + FRAMES + " frames of one face each: "
                + faces.size());

        Map<String, Integer> embeddings = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : readCommitted(TOPICS.embeddings().name())) {
            FaceEmbedding e = TOPICS.embeddings().valueSerde().deserializer().deserialize(r.topic(), r.value());
            embeddings.merge(e.getFaceId(), 1, Integer::sum);
        }
        assertEquals(announced, embeddings, "exactly one embedding per face");

        Map<String, List<Match>> byFace = matchesByFace();
        Map<String, Integer> matchCounts = new TreeMap<>();
        byFace.forEach((face, ms) -> matchCounts.put(face, ms.size()));
        assertEquals(announced, matchCounts, "exactly one match per face");
        assertEquals(List.of(), readCommitted(TOPICS.faces().deadLetterTopic()), "no face was dead-lettered");
        assertEquals(List.of(), readCommitted(TOPICS.embeddings().deadLetterTopic()),
                "no embedding was dead-lettered");
        Map<String, Match> out = new TreeMap<>();
        byFace.forEach((face, ms) -> out.put(face, ms.get(0)));
        return out;
    }

    private Set<String> faceIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (ConsumerRecord<String, byte[]> r : readCommitted(TOPICS.frameResults().name())) {
            FrameResult fr = TOPICS.frameResults().valueSerde().deserializer().deserialize(r.topic(), r.value());
            for (int k = 0; k < fr.getFaceCount(); k++) {
                ids.add(fr.getFrameId() + "-" + k);
            }
        }
        return ids;
    }

    private Map<String, List<Match>> matchesByFace() {
        Map<String, List<Match>> byFace = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : readCommitted(TOPICS.matches().name())) {
            Match m = TOPICS.matches().valueSerde().deserializer().deserialize(r.topic(), r.value());
            byFace.computeIfAbsent(m.getFaceId(), k -> new ArrayList<>()).add(m);
        }
        return byFace;
    }

    // ---------------------------------------------------------------- Kafka helpers

    private void send(String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    /** The committed records of a topic, from the beginning to its last stable offsets. */
    private List<ConsumerRecord<String, byte[]>> readCommitted(String topic) {
        Map<String, Object> c = new HashMap<>(kafka.adminClientConfig());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, Duration.ofSeconds(10))
                    .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("did not reach the end offsets " + end + " of " + topic);
                }
                consumer.poll(Duration.ofMillis(100)).forEach(out::add);
            }
            return out;
        }
    }

    private List<MemberDescription> members(String group) {
        try {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            return List.copyOf(d.members());
        } catch (Exception e) {
            return List.of();
        }
    }

    /** Waits until the stage's group has committed offsets to the end of every partition of its input. */
    private void awaitConsumed(Stage stage) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < TOPICS.partitions(); p++) {
            latest.put(new TopicPartition(stage.inputTopic(), p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
        await(stage.group() + " consumed " + stage.inputTopic() + " to " + end, () -> {
            try {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(stage.group()).partitionsToOffsetAndMetadata().get();
                return end.entrySet().stream().allMatch(e -> e.getValue() == 0 || (committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() >= e.getValue()));
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** The first camera ids {@code cam-N} whose keys the default partitioner puts on distinct partitions. */
    private static List<String> camerasOnDistinctPartitions(int n) {
        List<String> out = new ArrayList<>();
        Set<Integer> used = new HashSet<>();
        for (int i = 0; out.size() < n; i++) {
            String camera = "cam-" + i;
            int partition = Utils.toPositive(Utils.murmur2(camera.getBytes(StandardCharsets.UTF_8)))
                    % TOPICS.partitions();
            if (used.add(partition)) {
                out.add(camera);
            }
        }
        return out;
    }

    private static List<Path> jpegs(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().toLowerCase().endsWith(".jpg")).sorted().toList();
        }
    }

    private static void log(String format, Object... args) {
        System.out.printf("%tT scale-out: %s%n", System.currentTimeMillis(), String.format(format, args));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    // ---------------------------------------------------------------- child JVMs

    /** A {@link StageProcess} in a JVM of its own, on this JVM's class path and model settings. */
    private static final class Child {

        private static final List<String> PROPERTIES = List.of("facestream.model.dir", "facestream.shared.dir",
                "DJL_CACHE_DIR", "ai.djl.offline", "java.io.tmpdir");

        final Stage stage;
        final Process process;
        volatile boolean ready;
        volatile long progress;
        /** The last lines it printed that are not READY/PROGRESS (bounded), for failure messages. */
        private final Deque<String> other = new ArrayDeque<>();
        private final Path log;

        private Child(Stage stage, Process process, Path log) {
            this.stage = stage;
            this.process = process;
            this.log = log;
        }

        static Child start(Stage stage, String instanceId, EmbeddedKafka kafka, Path work) throws IOException {
            Path dir = Files.createDirectories(work.resolve(stage + "-" + instanceId));
            // An argument file: the test class path can be longer than one command-line argument may be.
            Path args = dir.resolve("java.args");
            Files.writeString(args, "-cp \"" + System.getProperty("java.class.path") + "\"\n");
            // One libtorch thread: four model JVMs share the test machine's cores, and OpenMP threads that
            // outnumber the cores spin against each other.
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                    "-XX:+UseSerialGC", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1"));
            for (String key : PROPERTIES) {
                String value = System.getProperty(key);
                if (value != null) {
                    command.add("-D" + key + "=" + value);
                }
            }
            command.addAll(List.of("@" + args, StageProcess.class.getName(), stage.name(), instanceId,
                    kafka.bootstrapServers(), kafka.credentialsFile().toString(),
                    Files.createDirectories(dir.resolve("state")).toString()));
            Path log = dir.resolve("stderr.log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
            builder.environment().put("OMP_NUM_THREADS", "1");
            Process p = builder.start();
            Child child = new Child(stage, p, log);
            Thread reader = new Thread(child::readOutput, "child-" + stage);
            reader.setDaemon(true);
            reader.start();
            return child;
        }

        private void readOutput() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.equals("READY")) {
                        ready = true;
                    } else if (line.startsWith("PROGRESS ")) {
                        progress = Long.parseLong(line.substring("PROGRESS ".length()).trim());
                    } else {
                        synchronized (other) {
                            other.addLast(line);
                            if (other.size() > 40) {
                                other.removeFirst();
                            }
                        }
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // the process is gone
            }
        }

        /** SIGKILL, and wait until it is gone. */
        void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String lastLines() {
            String err;
            try {
                List<String> lines = Files.readAllLines(log);
                err = String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
            } catch (IOException e) {
                err = "(no stderr: " + e + ")";
            }
            synchronized (other) {
                return "stdout: " + other + "\nstderr:\n" + err;
            }
        }

        @Override
        public String toString() {
            return stage + " victim (pid " + process.pid() + ", progress " + progress + ")";
        }
    }
}
