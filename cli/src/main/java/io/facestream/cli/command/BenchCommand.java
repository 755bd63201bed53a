package io.facestream.cli.command;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.facestream.cli.ModelOptions;
import io.facestream.cli.pipeline.PipelineBenchCommand;
import io.facestream.cli.pipeline.StreamBenchCommand;
import io.facestream.core.geometry.DetectedFace;
import io.facestream.inference.analysis.AlignedFace;
import io.facestream.inference.analysis.FaceAnalyzer;
import io.facestream.inference.embedding.FaceEmbedder;
import io.facestream.inference.mtcnn.DetectionProfile;
import io.facestream.inference.mtcnn.MtcnnCost;
import io.facestream.inference.mtcnn.MtcnnDetector;
import io.facestream.vision.decode.DecodedImage;
import io.facestream.vision.decode.ImageDecodeException;
import io.facestream.vision.tensor.ImageTensors;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.opencv.core.Mat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: throughput of detection and embedding on this machine, and the engine's own matrix
 * multiply rate as the yardstick. Every figure is the median of {@code --runs} timed runs after
 * {@code --warmup} untimed ones.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {PipelineBenchCommand.class, StreamBenchCommand.class,
            GalleryBenchCommand.class, HistoryBenchCommand.class, GpuBenchCommand.class},
        description = "Detection frames/s (640x480, min face 40), embedding faces/s (batch 1 and 32), GEMM GFLOP/s.")
public final class BenchCommand implements Callable<Integer> {

    /** Multiply-adds of one MobileFaceNet forward (234.1 M MAC, MODELS.md) as floating-point operations. */
    static final double MOBILEFACENET_FLOP = 468e6;
    private static final int GEMM_SIZE = 1024;
    /** The benchmark frame's detector setting, fixed so figures compare across runs (--min-face is ignored). */
    private static final int BENCH_MIN_FACE = 40;

    @Mixin
    ModelOptions options;

    @Option(names = "--image", paramLabel = "FILE",
            defaultValue = "${env:FACESTREAM_DEMO_DIR:-.cache/demo-photos}/sample1.jpg",
            description = "Photo with faces, resized to the benchmark frame (default: face-api demo sample1.jpg).")
    Path image;

    @Option(names = "--runs", defaultValue = "15", description = "Timed runs per figure (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--reference-python", paramLabel = "SCRIPT",
            description = "Your own Python script of the same weights, run as: python3 SCRIPT IMAGE; it prints"
                    + " detect_ms= and embed_faces_per_s_b32= lines, compared with ours (default: print the recorded"
                    + " reference figures).")
    Path referencePython;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Mat frame;
        try (DecodedImage decoded = options.decoder().read(image)) {
            frame = ImageTensors.resize(decoded.rgb(), 640, 480);
        } catch (ImageDecodeException e) {
            spec.commandLine().getErr().println("ERROR " + image + ": " + e.getMessage());
            return 1;
        }
        MtcnnDetector detector = options.detector(BENCH_MIN_FACE);
        List<DetectedFace> faces = detector.detect(frame);
        if (faces.isEmpty()) {
            spec.commandLine().getErr().println("ERROR " + image + ": no face in the benchmark frame");
            return 1;
        }
        MtcnnDetector reference = new MtcnnDetector(options.models().pytorchMtcnn(), detector.config());
        int referenceFaces = reference.detect(frame).size();
        double[] detect = interleavedMedianMillis(() -> detector.detect(frame), () -> reference.detect(frame));
        double detectMs = detect[0];
        double referenceMs = detect[1];
        DetectionProfile profile = new DetectionProfile();
        medianMillis(() -> detector.detect(frame, profile));
        List<Mat> crops = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            AlignedFace a = FaceAnalyzer.align(frame, faces.get(i % faces.size()));
            crops.add(a.crop());
        }
        FaceEmbedder embedder = new FaceEmbedder(options.models().mobileFaceNet(), 32);
        double b1Ms = medianMillis(() -> embedder.embed(crops.subList(0, 1)));
        FaceEmbedder onePass = new FaceEmbedder(options.models().mobileFaceNet(), 32, 32);
        // Interleaved, so both see the same machine: runs of one setting minutes apart differ by up to 2x here.
        double[] b32 = interleavedMedianMillis(() -> embedder.embed(crops), () -> onePass.embed(crops));
        double b32Ms = b32[0];
        double b32OnePassMs = b32[1];
        double gflops = gemmGflops();
        double b32PerS = 32_000 / b32Ms;
        out.printf(Locale.ROOT, "frame=640x480 faces_in_frame=%d threads=%s%n", faces.size(),
                System.getProperty("ai.djl.pytorch.num_threads", "engine default"));
        out.printf(Locale.ROOT, "detect_engine=%s%n", detector.engine());
        out.printf(Locale.ROOT, "detect_ms=%.1f%ndetect_fps=%.1f%n", detectMs, 1000 / detectMs);
        out.printf(Locale.ROOT, "detect_pnet_ms=%.1f%ndetect_rnet_ms=%.1f%ndetect_onet_ms=%.1f%n",
                profile.pnetMsPerFrame(), profile.rnetMsPerFrame(), profile.onetMsPerFrame());
        out.printf(Locale.ROOT, "detect_rnet_crops=%.0f detect_onet_crops=%.0f%n", profile.rnetCropsPerFrame(),
                profile.onetCropsPerFrame());
        out.printf(Locale.ROOT, "detect_fps_pytorch=%.1f faces_in_frame_pytorch=%d%n", 1000 / referenceMs,
                referenceFaces);
        out.printf(Locale.ROOT, "detect_speedup_vs_pytorch=%.2f%n", referenceMs / detectMs);
        out.printf(Locale.ROOT, "embed_faces_per_s_b1=%.1f%nembed_faces_per_s_b32=%.1f%n", 1000 / b1Ms, b32PerS);
        out.printf(Locale.ROOT, "embed_faces_per_s_b32_one_pass=%.1f (the CPU runs passes of %d)%n",
                32_000 / b32OnePassMs, FaceEmbedder.CPU_PASS);
        out.printf(Locale.ROOT, "gemm_gflops=%.1f%n", gflops);
        out.printf(Locale.ROOT, "embed_b32_share_of_gemm_peak=%.2f%n", b32PerS * MOBILEFACENET_FLOP / (gflops * 1e9));
        // The detector runs on --detector-threads cores (one by default), the GEMM peak on all of them: its share
        // of the peak is therefore at most threads / cores.
        double detectFlop = 2.0 * MtcnnCost.frameMac(640, 480, detector.config(), profile.rnetCropsPerFrame(),
                profile.onetCropsPerFrame());
        out.printf(Locale.ROOT, "detect_gflop_per_frame=%.3f detect_gflops=%.1f%n", detectFlop / 1e9,
                detectFlop / (detectMs * 1e6));
        out.printf(Locale.ROOT, "detect_share_of_gemm_peak=%.2f (on %d of %d cores)%n",
                detectFlop / (detectMs * 1e6) / gflops, options.detectorThreads(),
                Runtime.getRuntime().availableProcessors());
        crops.forEach(Mat::release);
        frame.release();
        return reference(out, detectMs, b32PerS);
    }

    /** The Python reference: the user's script when given (run after ours, not interleaved), else recorded figures. */
    private int reference(PrintWriter out, double detectMs, double b32PerS) {
        if (referencePython == null) {
            out.println("reference=recorded: a plain Python/PyTorch script of the same weights on this machine took"
                    + " 97-102 ms per 2-face 640x480 frame and 190-210 ms per 4-6-face frame, and embedded 67-73 faces/s"
                    + " at batch 32 (issue 'Inference near the machine's limit'); --reference-python SCRIPT runs yours");
            return 0;
        }
        try {
            Map<String, Double> ref = ReferenceScript.run(referencePython, image);
            Double refDetect = ref.get("detect_ms");
            Double refEmbed = ref.get("embed_faces_per_s_b32");
            if (refDetect != null) {
                out.printf(Locale.ROOT, "reference_detect_ms=%.1f%ndetect_speedup_vs_reference=%.2f%n", refDetect,
                        refDetect / detectMs);
            }
            if (refEmbed != null) {
                out.printf(Locale.ROOT, "reference_embed_faces_per_s_b32=%.1f%nembed_speedup_vs_reference=%.2f%n",
                        refEmbed, b32PerS / refEmbed);
            }
            if (refDetect == null && refEmbed == null) {
                spec.commandLine().getErr().println("ERROR " + referencePython
                        + " printed neither detect_ms= nor embed_faces_per_s_b32=");
                return 1;
            }
            return 0;
        } catch (java.io.IOException e) {
            spec.commandLine().getErr().println("ERROR reference: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private double gemmGflops() {
        try (NDManager m = options.models().mobileFaceNet().newCallManager()) {
            NDArray a = m.randomUniform(-1, 1, new Shape(GEMM_SIZE, GEMM_SIZE));
            NDArray b = m.randomUniform(-1, 1, new Shape(GEMM_SIZE, GEMM_SIZE));
            double ms = medianMillis(() -> a.matMul(b).close());
            return 2.0 * GEMM_SIZE * GEMM_SIZE * GEMM_SIZE / (ms * 1e6);
        }
    }

    /** Medians of {@code a} and {@code b}, run in turn (a, b, a, b, …) after the warm-up. */
    private double[] interleavedMedianMillis(Runnable a, Runnable b) {
        for (int i = 0; i < warmup; i++) {
            a.run();
            b.run();
        }
        double[] ta = new double[runs];
        double[] tb = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            a.run();
            long t1 = System.nanoTime();
            b.run();
            ta[i] = (t1 - t0) / 1e6;
            tb[i] = (System.nanoTime() - t1) / 1e6;
        }
        Arrays.sort(ta);
        Arrays.sort(tb);
        return new double[] {ta[runs / 2], tb[runs / 2]};
    }

    private double medianMillis(Runnable work) {
        for (int i = 0; i < warmup; i++) {
            work.run();
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            work.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[runs / 2];
    }
}
