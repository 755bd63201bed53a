package io.facestream.cli.pipeline;

import io.facestream.core.geometry.DetectedFace;
import io.facestream.inference.analysis.FaceAnalyzer;
import io.facestream.inference.embedding.FaceEmbedder;
import io.facestream.inference.model.FaceModels;
import io.facestream.inference.mtcnn.MtcnnConfig;
import io.facestream.inference.mtcnn.MtcnnDetector;
import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.Topic;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.FrameResult;
import io.facestream.schema.Match;
import io.facestream.services.allinone.EmbeddedPipeline;
import io.facestream.services.ingest.camera.CameraAgent;
import io.facestream.services.ingest.camera.FrameSource;
import io.facestream.vision.decode.DecodeLimits;
import io.facestream.vision.decode.DecodedImage;
import io.facestream.vision.decode.ImageDecoder;
import io.facestream.vision.encode.PngEncoder;
import io.facestream.vision.tensor.ImageTensors;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench pipeline}: end-to-end throughput and latency of the all-in-one mode on 640×480 JPEG frames (the
 * demo photos, 1–5 faces each). Throughput: the cameras publish as fast as the broker takes them. Latency:
 * from a frame's capture time (set when the camera publishes it) to the match of its last face, measured in
 * a second run paced at half the measured throughput, so it shows processing time rather than queueing. A frame is
 * done when its frame result is in and every face it sent on has its match. Beside it, the detector and the
 * embedder each alone on the same frames in the same process, and the slower of the two.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "End-to-end frames/s and p50/p99 latency with 1 and 4 cameras, and the slowest stage alone.")
public final class PipelineBenchCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--frames", defaultValue = "60", description = "Frames per run (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--model-dir", defaultValue = "${env:FACESTREAM_MODEL_DIR:-models}")
    Path modelDir;

    @Option(names = "--photos-dir", defaultValue = "${env:FACESTREAM_DEMO_DIR:-.cache/demo-photos}")
    Path photosDir;

    @Option(names = "--data-dir", defaultValue = ".cache/bench-pipeline")
    Path dataDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<byte[]> jpegs = frames640x480();
        for (int cameras : new int[] {1, 4}) {
            Path dir = Files.createDirectories(dataDir).resolve("run-" + cameras + "-" + System.nanoTime());
            try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(dir, modelDir, 0, 0, java.util.Map.of())) {
                if (cameras == 1) {
                    StagesAlone alone = stagesAlone(pipeline, jpegs);
                    out.printf(Locale.ROOT, "detector_alone_fps=%.1f%nembedder_alone_fps=%.1f faces_per_frame=%.2f%n",
                            alone.detectorFps(), alone.embedderFps(), alone.facesPerFrame());
                    out.printf(Locale.ROOT, "slowest_stage_fps=%.1f%nstages_in_turn_fps=%.1f%n", alone.slowestFps(),
                            alone.inTurnFps());
                    out.printf(Locale.ROOT, "stage_ms_per_frame %s%n", alone.profile());
                    Result flood = run(pipeline, cameras, jpegs, 1000);
                    out.printf(Locale.ROOT, "pipeline_share_of_slowest_stage=%.2f%n", flood.fps() / alone.slowestFps());
                    report(out, pipeline, cameras, jpegs, flood);
                } else {
                    report(out, pipeline, cameras, jpegs, run(pipeline, cameras, jpegs, 1000));
                }
            } finally {
                Directories.deleteRecursively(dir);
            }
        }
        return 0;
    }

    private void report(PrintWriter out, EmbeddedPipeline pipeline, int cameras, List<byte[]> jpegs, Result flood)
            throws Exception {
        Result paced = run(pipeline, cameras, jpegs, flood.fps() / 2 / cameras);
        out.printf(Locale.ROOT, "cameras=%d frames=%d pipeline_fps=%.1f paced_fps=%.1f latency_p50_ms=%d"
                + " latency_p99_ms=%d%n", cameras, flood.frames(), flood.fps(), paced.fps(), paced.p50(), paced.p99());
        out.flush();
    }

    private record Result(int frames, double fps, long p50, long p99) {
    }

    /**
     * Publishes the frames and waits until each is done: its frame result is in and, when it had faces, one match
     * per face it sent on. Latency: from capture to the later of the frame result and its last match.
     */
    private Result run(EmbeddedPipeline pipeline, int cameras, List<byte[]> jpegs, double fpsPerCamera)
            throws Exception {
        Topics topics = new Topics(4);
        int perCamera = Math.max(1, frames / cameras);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                pipeline.kafka().follower(KafkaClientSettings.DEFAULT_MAX_RECORD_BYTES), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Topic<?> t : List.of(topics.frameResults(), topics.matches())) {
                for (int p = 0; p < t.partitions(); p++) {
                    partitions.add(new TopicPartition(t.name(), p));
                }
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolve the end now, before any frame is sent
            long start = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(cameras);
            List<Future<Long>> sent = new ArrayList<>();
            for (int c = 0; c < cameras; c++) {
                String id = "bench-cam-" + c;
                sent.add(pool.submit(() -> {
                    try (CameraAgent agent = new CameraAgent(id, pipeline.kafka(ServicePrincipal.CAMERA), topics,
                            Clock.systemUTC()); FrameSource source = cycle(jpegs, perCamera)) {
                        return agent.stream(source, fpsPerCamera, f -> { });
                    }
                }));
            }
            Map<String, Frame> byId = new HashMap<>();
            long total = -1;
            long done = 0;
            long lastDoneAt = start;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while ((total < 0 || done < total) && System.nanoTime() < deadline) {
                if (total < 0 && sent.stream().allMatch(Future::isDone)) {
                    total = 0;
                    for (Future<Long> f : sent) {
                        total += f.get();
                    }
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    Frame f;
                    if (r.topic().equals(topics.frameResults().name())) {
                        FrameResult result = topics.frameResults().decode(r.value());
                        f = byId.computeIfAbsent(result.getFrameId(), k -> new Frame());
                        f.capturedAt = result.getCapturedAt().toEpochMilli();
                        f.expected = result.getFaceCount();
                        f.lastAt = Math.max(f.lastAt, r.timestamp());
                    } else {
                        Match m = topics.matches().decode(r.value());
                        f = byId.computeIfAbsent(m.getFrameId(), k -> new Frame());
                        f.capturedAt = m.getCapturedAt().toEpochMilli();
                        f.matched++;
                        f.lastAt = Math.max(f.lastAt, m.getMatchedAt().toEpochMilli());
                    }
                    if (!f.done && f.expected >= 0 && f.matched >= f.expected) {
                        f.done = true;
                        done++;
                        lastDoneAt = System.nanoTime();
                    }
                }
            }
            pool.shutdown();
            long[] lat = byId.values().stream().filter(f -> f.done).mapToLong(f -> f.lastAt - f.capturedAt).sorted()
                    .toArray();
            return new Result(lat.length, lat.length / ((lastDoneAt - start) / 1e9), percentile(lat, 0.50),
                    percentile(lat, 0.99));
        }
    }

    /** One frame's progress through the pipeline. */
    private static final class Frame {
        long capturedAt;
        int expected = -1;
        int matched;
        long lastAt;
        boolean done;
    }

    private static long percentile(long[] sorted, double q) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /**
     * The detector (decode, MTCNN, alignment, PNG crops) and the embedder (PNG decode, MobileFaceNet in batches of
     * 32) each alone on the same frames, in the pipeline's own process with its models; and where their time goes.
     */
    private record StagesAlone(double detectorFps, double embedderFps, double facesPerFrame, String profile) {

        double slowestFps() {
            return Math.min(detectorFps, embedderFps);
        }

        /** The rate if the stages took turns on the machine: 1 / (sum of per-frame costs). */
        double inTurnFps() {
            return 1 / (1 / detectorFps + 1 / embedderFps);
        }
    }

    private StagesAlone stagesAlone(EmbeddedPipeline pipeline, List<byte[]> jpegs) throws Exception {
        FaceModels models = pipeline.context().getBean(FaceModels.class);
        MtcnnDetector detector = new MtcnnDetector(models.mtcnn(), MtcnnConfig.DEFAULT.withMinFaceSize(40));
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());
        List<byte[]> pngs = new ArrayList<>();
        long decode = 0, mtcnn = 0, align = 0, png = 0;
        long start = System.nanoTime();
        for (int i = 0; i < frames; i++) {
            long t0 = System.nanoTime();
            try (DecodedImage image = decoder.decode(jpegs.get(i % jpegs.size()))) {
                long t1 = System.nanoTime();
                List<DetectedFace> faces = detector.detect(image.rgb());
                long t2 = System.nanoTime();
                decode += t1 - t0;
                mtcnn += t2 - t1;
                for (DetectedFace face : faces) {
                    long a0 = System.nanoTime();
                    Mat crop = FaceAnalyzer.align(image.rgb(), face).crop();
                    long a1 = System.nanoTime();
                    pngs.add(PngEncoder.rgb(crop));
                    crop.release();
                    align += a1 - a0;
                    png += System.nanoTime() - a1;
                }
            }
        }
        double detectorFps = frames / ((System.nanoTime() - start) / 1e9);
        FaceEmbedder embedder = new FaceEmbedder(models.mobileFaceNet(), 32);
        ImageDecoder crops = new ImageDecoder(DecodeLimits.defaults());
        embedBatch(embedder, crops, pngs); // untimed: the first call of each batch shape plans it
        start = System.nanoTime();
        long pngDecode = embedBatch(embedder, crops, pngs);
        long embedderNanos = System.nanoTime() - start;
        double embedderFps = frames / (embedderNanos / 1e9);
        double facesPerFrame = (double) pngs.size() / frames;
        String profile = String.format(Locale.ROOT, "decode=%.1f mtcnn=%.1f align=%.1f png_encode=%.1f png_decode=%.1f"
                + " embed=%.1f", decode / 1e6 / frames, mtcnn / 1e6 / frames, align / 1e6 / frames, png / 1e6 / frames,
                pngDecode / 1e6 / frames, (embedderNanos - pngDecode) / 1e6 / frames);
        return new StagesAlone(detectorFps, embedderFps, facesPerFrame, profile);
    }

    /** Decodes the PNG crops and embeds them as the embedder stage does; returns the nanoseconds spent decoding. */
    private static long embedBatch(FaceEmbedder embedder, ImageDecoder decoder, List<byte[]> pngs) throws Exception {
        long decoding = 0;
        for (int from = 0; from < pngs.size(); from += 32) {
            List<DecodedImage> images = new ArrayList<>();
            try {
                long t0 = System.nanoTime();
                for (byte[] png : pngs.subList(from, Math.min(pngs.size(), from + 32))) {
                    images.add(decoder.decode(png));
                }
                decoding += System.nanoTime() - t0;
                embedder.embed(images.stream().map(DecodedImage::rgb).toList());
            } finally {
                images.forEach(DecodedImage::close);
            }
        }
        return decoding;
    }

    private static FrameSource cycle(List<byte[]> jpegs, int count) {
        return new FrameSource() {
            private int i;

            @Override
            public Optional<EncodedFrame> next() {
                return i < count ? Optional.of(new EncodedFrame(jpegs.get(i % jpegs.size()), "image/jpeg", "bench#" + i++))
                        : Optional.empty();
            }

            @Override
            public void close() {
            }
        };
    }

    private List<byte[]> frames640x480() throws Exception {
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(photosDir)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".jpg")).sorted().toList()) {
                try (DecodedImage image = decoder.read(p)) {
                    Mat small = ImageTensors.resize(image.rgb(), 640, 480);
                    Mat bgr = new Mat();
                    MatOfByte jpeg = new MatOfByte();
                    Imgproc.cvtColor(small, bgr, Imgproc.COLOR_RGB2BGR);
                    Imgcodecs.imencode(".jpg", bgr, jpeg);
                    out.add(jpeg.toArray());
                    small.release();
                    bgr.release();
                    jpeg.release();
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no demo photos in " + photosDir);
        }
        return out;
    }
}
