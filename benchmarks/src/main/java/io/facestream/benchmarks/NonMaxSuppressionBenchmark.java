package io.facestream.benchmarks;

import io.facestream.core.geometry.BoundingBox;
import io.facestream.core.geometry.NonMaxSuppression;
import io.facestream.core.geometry.NonMaxSuppression.Overlap;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * MTCNN's NMS on PNet-like candidates: boxes of one pyramid level's size on its stride-2 grid, clustered around a
 * few faces, as many as a quiet frame (250) and a busy one (thousands) gives. Shows how the x-sorted sweep scales.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NonMaxSuppressionBenchmark {

    @Param({"250", "2000", "8000"})
    int boxes;

    private List<BoundingBox> candidates;
    private double[] scores;

    @Setup
    public void candidates() {
        Random random = new Random(7);
        candidates = new ArrayList<>(boxes);
        scores = new double[boxes];
        double side = 40; // a 12-pixel PNet cell at scale 0.3
        for (int i = 0; i < boxes; i++) {
            double cx = 80 + 160 * random.nextInt(4) + random.nextGaussian() * 40;
            double cy = 80 + 160 * random.nextInt(3) + random.nextGaussian() * 40;
            double x = Math.round(cx / 6.67) * 6.67; // stride 2 at scale 0.3
            double y = Math.round(cy / 6.67) * 6.67;
            candidates.add(new BoundingBox(Math.round(x), Math.round(y), Math.round(x + side), Math.round(y + side)));
            scores[i] = 0.6 + 0.4 * random.nextDouble();
        }
    }

    @Benchmark
    public int[] perScale() {
        return NonMaxSuppression.select(candidates, scores, 0.5, Overlap.UNION);
    }
}
