package io.facestream.benchmarks;

import io.facestream.inference.model.DetectorEngine;
import io.facestream.inference.model.FaceModels;
import io.facestream.inference.model.ModelDirectory;
import io.facestream.inference.mtcnn.MtcnnNetworks;
import io.facestream.vision.OpenCvLoader;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * PNet on the first pyramid level of a 640×480 frame at min face 40 (192×144), on each detector engine: the
 * network call alone, input layout included, without the detector's stage logic. Models from
 * {@code $FACESTREAM_MODEL_DIR} (default {@code models}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true"})
public class PnetLevelBenchmark {

    @Param({"tflite", "pytorch"})
    String engine;

    private FaceModels models;
    private MtcnnNetworks networks;
    private Mat level;

    @Setup(Level.Trial)
    public void load() {
        String dir = System.getenv().getOrDefault("FACESTREAM_MODEL_DIR", "models");
        models = FaceModels.load(ModelDirectory.open(Path.of(dir)), DetectorEngine.parse(engine),
                DetectorEngine.DEFAULT_THREADS);
        networks = models.mtcnn();
        OpenCvLoader.ensureLoaded();
        byte[] pixels = new byte[192 * 144 * 3];
        new Random(3).nextBytes(pixels);
        level = new Mat(144, 192, CvType.CV_8UC3);
        level.put(0, 0, pixels);
    }

    @TearDown(Level.Trial)
    public void close() {
        level.release();
        models.close();
    }

    @Benchmark
    public MtcnnNetworks.PnetOutput level() {
        return networks.pnet(level);
    }
}
