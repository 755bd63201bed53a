package io.facestream.cli.pipeline;

import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.pipeline.enroll.Enroller;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.FrameLimits;
import io.facestream.pipeline.topics.Topic;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Decision;
import io.facestream.schema.FaceEmbedding;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameResult;
import io.facestream.schema.Identity;
import io.facestream.schema.Sighting;
import io.facestream.schema.SightingState;
import io.facestream.services.allinone.EmbeddedPipeline;
import io.facestream.services.ingest.camera.CameraAgent;
import io.facestream.services.ingest.camera.FrameSource;
import io.facestream.services.ingest.camera.ImageFolderSource;
import io.facestream.services.matcher.enroll.ActiveEnroller;
import io.facestream.core.gallery.NewIdentity;
import io.facestream.pipeline.gallery.GalleryRecords;
import io.facestream.pipeline.gallery.GalleryWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench stream}: what motion gating saves on one source. The same frames go through the all-in-one
 * pipeline twice, gating off then on, each run on a fresh broker: frames, detector runs, faces detected and
 * embedded, sightings, the detector's time per frame and frames/s.
 *
 * <p>The frames are read into memory first and published as fast as the pipeline takes them, each stamped with
 * its place on the source's own timeline ({@code --fps}), so the motion gate's keyframe interval means camera
 * seconds whatever the machine's speed. Load shedding is off in both runs: this measures the work each frame
 * costs, not what a behind detector would drop.
 */
@Command(name = "stream", mixinStandardHelpOptions = true,
        description = "Motion gating off vs on over one source: frames, detector runs, faces, sightings, detector"
                + " ms/frame, frames/s.")
public final class StreamBenchCommand implements Callable<Integer> {

    private static final String CAMERA = "bench-stream";

    @Option(names = "--source", required = true, paramLabel = "FILE|DIR|URL",
            description = "Video, image folder or one image (a still is repeated --frames times: a static scene).")
    String source;

    @Option(names = "--fps", defaultValue = "25", description = "The source's frame rate: spacing of capture times"
            + " (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--frames", defaultValue = "1000", description = "At most this many frames (a still is"
            + " repeated up to it; default: ${DEFAULT-VALUE}).")
    int maxFrames;

    @Option(names = "--enroll", paramLabel = "PERSON_DIR", description = "A folder of one person's photos, named"
            + " after them; every photo is enrolled. Repeatable.")
    List<Path> enroll = new ArrayList<>();

    @Option(names = "--model-dir", defaultValue = "${env:FACESTREAM_MODEL_DIR:-models}")
    Path modelDir;

    @Option(names = "--data-dir", defaultValue = ".cache/bench-stream")
    Path dataDir;

    @Spec
    CommandSpec spec;

    /** What one run measured. */
    record Run(boolean gated, int frames, int detectorRuns, long facesDetected, long belowGate, int facesEmbedded,
            int sightings, int knownSightings, Set<String> named, double detectorMsPerFrame, double cpuMsPerFrame,
            double framesPerSecond, List<String> tracks) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<FrameSource.EncodedFrame> frames = readFrames();
        out.printf(Locale.ROOT, "source=%s frames=%d fps=%.1f enrolled=%d%n", source, frames.size(), fps,
                enroll.size());
        Run off = run(frames, false);
        print(out, off);
        Run on = run(frames, true);
        print(out, on);
        out.printf(Locale.ROOT, "gated_detector_time_share=%.3f gated_detector_runs_share=%.3f%n",
                (on.detectorMsPerFrame() * on.frames()) / Math.max(1e-9, off.detectorMsPerFrame() * off.frames()),
                on.detectorRuns() / (double) Math.max(1, off.detectorRuns()));
        out.flush();
        return 0;
    }

    private static void print(PrintWriter out, Run r) {
        out.printf(Locale.ROOT, "gating=%s frames=%d detector_runs=%d faces_detected=%d below_quality_gate=%d"
                        + " faces_embedded=%d sightings=%d known_sightings=%d named=%s detector_ms_per_frame=%.2f"
                        + " process_cpu_ms_per_frame=%.1f frames_per_s=%.1f%n",
                r.gated() ? "on" : "off", r.frames(), r.detectorRuns(), r.facesDetected(), r.belowGate(),
                r.facesEmbedded(), r.sightings(), r.knownSightings(), String.join(",", r.named()),
                r.detectorMsPerFrame(), r.cpuMsPerFrame(), r.framesPerSecond());
        r.tracks().forEach(out::println);
        out.flush();
    }

    private List<FrameSource.EncodedFrame> readFrames() throws Exception {
        List<FrameSource.EncodedFrame> frames = new ArrayList<>();
        boolean still = Files.isRegularFile(Path.of(source)) && ImageFolderSource.isImage(Path.of(source));
        try (FrameSource s = CameraAgent.open(source)) {
            for (Optional<FrameSource.EncodedFrame> f = next(s); f.isPresent() && frames.size() < maxFrames;
                    f = next(s)) {
                frames.add(f.get());
            }
        }
        while (still && !frames.isEmpty() && frames.size() < maxFrames) {
            frames.add(frames.get(0));
        }
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("no frames in " + source);
        }
        return frames;
    }

    private static Optional<FrameSource.EncodedFrame> next(FrameSource s) throws IOException {
        while (true) {
            try {
                return s.next();
            } catch (FrameSource.SkippedFrameException e) {
                System.err.println("skipped: " + e.getMessage());
            }
        }
    }

    private Run run(List<FrameSource.EncodedFrame> frames, boolean gated) throws Exception {
        Path dir = Files.createDirectories(dataDir).resolve("run-" + (gated ? "gated-" : "ungated-")
                + System.nanoTime());
        Map<String, Object> settings = Map.of("facestream.detector.motion-enabled", gated,
                "facestream.detector.max-backlog-age", "0s");
        try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(dir, modelDir, 0, 0, settings)) {
            Map<String, String> names = enroll(pipeline);
            Topics topics = new Topics(4);
            try (Tally tally = new Tally(pipeline.kafka(), topics)) {
                long cpuStart = processCpuNanos();
                long start = System.nanoTime();
                publish(pipeline.kafka(ServicePrincipal.CAMERA), topics, frames);
                long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
                while (tally.frameResults < frames.size() && System.nanoTime() < deadline) {
                    tally.poll();
                }
                long end = tally.lastFrameResultAt;
                // Embeddings and sightings trail the frame results. An open sighting is rewritten only when its
                // decision or best face changes, so its face count is final only once it is CLOSED: the last
                // tracks close after the matcher's quiet time (30 s by default).
                long quietSince = System.nanoTime();
                int seen = tally.records;
                while ((System.nanoTime() - quietSince < Duration.ofSeconds(8).toNanos() || !tally.allClosed())
                        && System.nanoTime() < deadline) {
                    tally.poll();
                    if (tally.records != seen) {
                        seen = tally.records;
                        quietSince = System.nanoTime();
                    }
                }
                long cpu = processCpuNanos() - cpuStart;
                Set<String> named = new TreeSet<>();
                int known = 0;
                for (Sighting s : tally.sightings.values()) {
                    if (s.getDecision() == Decision.KNOWN) {
                        known++;
                        named.add(names.getOrDefault(s.getIdentityId(), s.getIdentityId()));
                    }
                }
                return new Run(gated, tally.frameResults, tally.detectorRuns, tally.facesDetected, tally.belowGate,
                        tally.embeddings, tally.sightings.size(), known, named,
                        tally.detectorMs / (double) Math.max(1, tally.frameResults),
                        cpu / 1e6 / Math.max(1, tally.frameResults),
                        tally.frameResults / Math.max(1e-9, (end - start) / 1e9), tracks(tally.sightings, names));
            }
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    /**
     * One line per sighting, most faces first: its faces, decision and the quality-weighted mean cosine of each
     * aggregate candidate (the per-track figures README's "Tracks and sightings" quotes).
     */
    private static List<String> tracks(Map<String, Sighting> sightings, Map<String, String> names) {
        List<String> lines = new ArrayList<>();
        sightings.values().stream().sorted((a, b) -> Integer.compare(b.getFaceCount(), a.getFaceCount()))
                .forEach(s -> {
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  track faces=%d decision=%s",
                            s.getFaceCount(), s.getDecision()));
                    s.getCandidates().forEach(c -> line.append(String.format(Locale.ROOT, " %s=%.3f",
                            names.getOrDefault(c.getIdentityId(), c.getIdentityId()), c.getScore())));
                    lines.add(line.toString());
                });
        return lines;
    }

    /** Enrolls every photo of each {@code --enroll} folder; identity id → display name. */
    private Map<String, String> enroll(EmbeddedPipeline pipeline) throws IOException {
        Map<String, String> names = new HashMap<>();
        if (enroll.isEmpty()) {
            return names;
        }
        Enroller enroller = pipeline.context().getBean(ActiveEnroller.class).current();
        GalleryWriter writer = pipeline.context().getBean(GalleryWriter.class);
        for (Path person : enroll) {
            Identity identity = GalleryRecords.identity(NewIdentity.named(person.getFileName().toString()),
                    Instant.now());
            String id = identity.getIdentityId();
            writer.putIdentity(identity);
            names.put(id, identity.getDisplayName());
            try (Stream<Path> photos = Files.list(person)) {
                for (Path photo : photos.filter(ImageFolderSource::isImage).sorted().toList()) {
                    try {
                        enroller.enroll(id, Files.readAllBytes(photo)).samples().forEach(writer::putSample);
                    } catch (RejectedRecordException e) {
                        System.err.println("not enrolled " + photo + ": " + e.getMessage());
                    }
                }
            }
        }
        return names;
    }

    /** Every frame, stamped on the source's timeline from now on; returns once the broker has them all. */
    private void publish(KafkaClientSettings kafka, Topics topics, List<FrameSource.EncodedFrame> frames) {
        long t0 = System.currentTimeMillis();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producer(FrameLimits.MAX_RECORD_BYTES),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < frames.size(); i++) {
                FrameSource.EncodedFrame f = frames.get(i);
                Frame frame = Frame.newBuilder().setFrameId(UUID.randomUUID().toString()).setCameraId(CAMERA)
                        .setCapturedAt(Instant.ofEpochMilli(t0 + Math.round(i * 1000 / fps))).setSeq(i + 1)
                        .setImage(ByteBuffer.wrap(f.bytes())).setContentType(f.contentType()).build();
                producer.send(new ProducerRecord<>(topics.frames().name(), CAMERA, topics.frames().encode(frame)));
            }
            producer.flush();
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Reads frame-results, embeddings and sightings from the start and counts what the run produced. */
    private static final class Tally implements AutoCloseable {
        private final Topics topics;
        private final KafkaConsumer<String, byte[]> consumer;
        int records;
        int frameResults;
        int detectorRuns;
        long facesDetected;
        long belowGate;
        long detectorMs;
        int embeddings;
        long lastFrameResultAt = System.nanoTime();
        final Map<String, Sighting> sightings = new HashMap<>();

        Tally(KafkaClientSettings kafka, Topics topics) {
            this.topics = topics;
            consumer = new KafkaConsumer<>(kafka.follower(KafkaClientSettings.DEFAULT_MAX_RECORD_BYTES),
                    new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = new ArrayList<>();
            for (Topic<?> t : List.of(topics.frameResults(), topics.embeddings(), topics.sightings())) {
                for (int p = 0; p < t.partitions(); p++) {
                    partitions.add(new TopicPartition(t.name(), p));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        boolean allClosed() {
            return sightings.values().stream().allMatch(s -> s.getState() == SightingState.CLOSED);
        }

        void poll() throws RejectedRecordException {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                records++;
                if (r.topic().equals(topics.frameResults().name())) {
                    FrameResult fr = topics.frameResults().decode(r.value());
                    frameResults++;
                    detectorRuns += fr.getSkipReason() == null ? 1 : 0;
                    facesDetected += fr.getFaceCount();
                    belowGate += fr.getBelowQualityGate();
                    detectorMs += fr.getLatencyMs();
                    lastFrameResultAt = System.nanoTime();
                } else if (r.topic().equals(topics.embeddings().name())) {
                    FaceEmbedding e = topics.embeddings().decode(r.value());
                    embeddings += e.getVector().isEmpty() ? 0 : 1;
                } else if (r.value() != null) {
                    Sighting s = topics.sightings().decode(r.value());
                    sightings.put(s.getSightingId(), s);
                }
            }
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(2));
        }
    }
}
