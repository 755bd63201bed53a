package io.facestream.cli.command;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.facestream.cli.ModelOptions;
import io.facestream.core.geometry.DetectedFace;
import io.facestream.core.similarity.Embedding;
import io.facestream.inference.analysis.FaceAnalyzer;
import io.facestream.inference.embedding.FaceEmbedder;
import io.facestream.inference.model.FaceModels;
import io.facestream.inference.model.ModelDirectory;
import io.facestream.inference.mtcnn.MtcnnDetector;
import io.facestream.vision.decode.DecodedImage;
import io.facestream.vision.decode.ImageDecodeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.opencv.core.Mat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench gpu}: the CUDA embedder's check (scripts/gpu-check.sh). Faces are detected and aligned once (on
 * the engine's default device), then embedded by MobileFaceNet on the CPU and on GPU 0: the largest difference
 * of any component of the normalised embeddings must be at most {@code --tolerance}, and faces/s at batch 32
 * and 128 are measured on both devices (median of {@code --runs} timed runs after {@code --warmup}). Exit code
 * 1 without a GPU or when parity fails.
 */
@Command(name = "gpu", mixinStandardHelpOptions = true,
        description = "Embedding parity CPU vs GPU on faces-dev crops, and faces/s at batch 32 and 128.")
public final class GpuBenchCommand implements Callable<Integer> {

    private static final int[] BATCHES = {32, 128};
    /** Enough faces for a batch of 128 without the images of all of faces-dev. */
    private static final int MAX_FACES = 256;

    @Mixin
    ModelOptions options;

    @Option(names = "--faces", paramLabel = "DIR",
            defaultValue = "${env:FACESTREAM_SHARED_DIR:-../shared}/faces-dev/human_samples",
            description = "Photos (searched recursively, .jpg/.png) whose faces are embedded (default: faces-dev "
                    + "human_samples).")
    Path faces;

    @Option(names = "--tolerance", defaultValue = "1e-4",
            description = "Largest allowed |cpu - gpu| of a normalised embedding component (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--runs", defaultValue = "10", description = "Timed runs per figure (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Engine engine = Engine.getEngine("PyTorch");
        out.printf(Locale.ROOT, "engine=%s %s gpus=%d%n", engine.getEngineName(), engine.getVersion(),
                engine.getGpuCount());
        if (engine.getGpuCount() < 1) {
            err.println("ERROR no GPU visible to libtorch (a CUDA libtorch, the NVIDIA driver and a GPU are needed)");
            return 1;
        }
        List<Mat> crops = crops(err);
        if (crops.isEmpty()) {
            err.println("ERROR no face found under " + faces);
            return 1;
        }
        ModelDirectory dir = ModelDirectory.open(options.modelDir());
        try (FaceModels cpu = FaceModels.load(dir, Device.cpu()); FaceModels gpu = FaceModels.load(dir, Device.gpu(0))) {
            FaceEmbedder onCpu = new FaceEmbedder(cpu.mobileFaceNet(), 128);
            FaceEmbedder onGpu = new FaceEmbedder(gpu.mobileFaceNet(), 128);
            List<Embedding> a = onCpu.embed(crops);
            List<Embedding> b = onGpu.embed(crops);
            double maxDiff = 0;
            double minCosine = 1;
            for (int i = 0; i < a.size(); i++) {
                float[] x = a.get(i).toArray();
                float[] y = b.get(i).toArray();
                for (int k = 0; k < x.length; k++) {
                    maxDiff = Math.max(maxDiff, Math.abs(x[k] - y[k]));
                }
                minCosine = Math.min(minCosine, a.get(i).cosine(b.get(i)));
            }
            out.printf(Locale.ROOT, "faces=%d max_abs_diff=%.3g min_cosine=%.8f tolerance=%.3g%n", crops.size(),
                    maxDiff, minCosine, tolerance);
            List<Mat> batch = new ArrayList<>();
            for (int i = 0; batch.size() < 128; i++) {
                batch.add(crops.get(i % crops.size()));
            }
            for (int n : BATCHES) {
                List<Mat> part = batch.subList(0, n);
                out.printf(Locale.ROOT, "cpu_faces_per_s_b%d=%.1f%n", n, n * 1000 / medianMillis(() -> onCpu.embed(part)));
                out.printf(Locale.ROOT, "gpu_faces_per_s_b%d=%.1f%n", n, n * 1000 / medianMillis(() -> onGpu.embed(part)));
            }
            boolean ok = maxDiff <= tolerance;
            out.println(ok ? "parity=ok" : "parity=FAILED");
            return ok ? 0 : 1;
        } finally {
            crops.forEach(Mat::release);
        }
    }

    /** Every face of the photos under {@link #faces}, aligned, at most {@link #MAX_FACES}. */
    private List<Mat> crops(PrintWriter err) throws IOException {
        List<Path> images;
        try (Stream<Path> files = Files.walk(faces)) {
            images = files.filter(Files::isRegularFile).filter(p -> p.toString().matches("(?i).*\\.(jpe?g|png)$"))
                    .sorted().toList();
        }
        MtcnnDetector detector = options.detector();
        List<Mat> crops = new ArrayList<>();
        for (Path image : images) {
            try (DecodedImage decoded = options.decoder().read(image)) {
                for (DetectedFace face : detector.detect(decoded.rgb())) {
                    if (crops.size() < MAX_FACES) {
                        crops.add(FaceAnalyzer.align(decoded.rgb(), face).crop());
                    }
                }
            } catch (ImageDecodeException e) {
                err.println("ERROR " + image + ": " + e.getMessage());
            }
        }
        return crops;
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
