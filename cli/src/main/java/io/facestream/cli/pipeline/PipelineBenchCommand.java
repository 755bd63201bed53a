package io.facestream.cli.pipeline;

import io.facestream.inference.model.FaceModels;
import io.facestream.inference.mtcnn.MtcnnConfig;
import io.facestream.inference.mtcnn.MtcnnDetector;
import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Match;
import io.facestream.services.allinone.EmbeddedPipeline;
import io.facestream.services.ingest.camera.CameraAgent;
import io.facestream.services.ingest.camera.FrameSource;
import io.facestream.services.matcher.kafka.RecentMatches;
import io.facestream.vision.decode.DecodeLimits;
import io.facestream.vision.decode.DecodedImage;
import io.facestream.vision.decode.ImageDecoder;
import io.facestream.vision.tensor.ImageTensors;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import reactor.core.Disposable;

/**
 * {@code bench pipeline}: end-to-end throughput and latency of the all-in-one mode on 640×480 JPEG frames (the
 * demo photos, 1–5 faces each). Throughput: the cameras publish as fast as the broker takes them. Latency:
 * from a frame's capture time (set when the camera publishes it) to the match of its last face, measured in
 * a second run paced at half the measured throughput, so it shows processing time rather than queueing.
 * Beside it, the detector's standalone rate on the same frames: the slowest stage.
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
                    out.printf(Locale.ROOT, "detector_alone_fps=%.1f%n", detectorAlone(pipeline, jpegs));
                }
                Result flood = run(pipeline, cameras, jpegs, 1000);
                Result paced = run(pipeline, cameras, jpegs, flood.fps() / 2 / cameras);
                out.printf(Locale.ROOT, "cameras=%d frames=%d pipeline_fps=%.1f paced_fps=%.1f latency_p50_ms=%d"
                        + " latency_p99_ms=%d%n", cameras, flood.frames(), flood.fps(), paced.fps(), paced.p50(),
                        paced.p99());
                out.flush();
            } finally {
                Directories.deleteRecursively(dir);
            }
        }
        return 0;
    }


    private record Result(int frames, double fps, long p50, long p99) {
    }

    private Result run(EmbeddedPipeline pipeline, int cameras, List<byte[]> jpegs, double fpsPerCamera)
            throws Exception {
        ConcurrentHashMap<String, Long> lastMatchAt = new ConcurrentHashMap<>(); // frameId → latency ms
        ConcurrentHashMap<String, Long> seen = new ConcurrentHashMap<>();
        Disposable d = pipeline.context().getBean(RecentMatches.class).live().subscribe((Match m) -> {
            long latency = m.getMatchedAt().toEpochMilli() - m.getCapturedAt().toEpochMilli();
            lastMatchAt.merge(m.getFrameId(), latency, Math::max);
            seen.put(m.getFrameId(), System.nanoTime());
        });
        int perCamera = Math.max(1, frames / cameras);
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(cameras);
        List<Future<Long>> sent = new ArrayList<>();
        for (int c = 0; c < cameras; c++) {
            String id = "bench-cam-" + c;
            sent.add(pool.submit(() -> {
                try (CameraAgent agent = new CameraAgent(id, pipeline.kafka(ServicePrincipal.CAMERA), new Topics(4),
                        Clock.systemUTC()); FrameSource source = cycle(jpegs, perCamera)) {
                    return agent.stream(source, fpsPerCamera, f -> { });
                }
            }));
        }
        long total = 0;
        for (Future<Long> f : sent) {
            total += f.get();
        }
        pool.shutdown();
        // every bench frame shows a face, so every frame gets at least one match
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (lastMatchAt.size() < total && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        long end = seen.values().stream().mapToLong(Long::longValue).max().orElse(System.nanoTime());
        d.dispose();
        long[] lat = lastMatchAt.values().stream().mapToLong(Long::longValue).sorted().toArray();
        return new Result(lat.length, lat.length / ((end - start) / 1e9), percentile(lat, 0.50), percentile(lat, 0.99));
    }

    private static long percentile(long[] sorted, double q) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private double detectorAlone(EmbeddedPipeline pipeline, List<byte[]> jpegs) throws Exception {
        FaceModels models = pipeline.context().getBean(FaceModels.class);
        MtcnnDetector detector = new MtcnnDetector(models.mtcnn(), MtcnnConfig.DEFAULT.withMinFaceSize(40));
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());
        long start = System.nanoTime();
        for (int i = 0; i < frames; i++) {
            try (DecodedImage image = decoder.decode(jpegs.get(i % jpegs.size()))) {
                detector.detect(image.rgb());
            }
        }
        return frames / ((System.nanoTime() - start) / 1e9);
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
