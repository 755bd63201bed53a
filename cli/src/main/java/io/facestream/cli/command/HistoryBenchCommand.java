package io.facestream.cli.command;

import io.facestream.search.history.HistoryEntry;
import io.facestream.search.history.HistoryHit;
import io.facestream.search.history.HistoryIndex;
import io.facestream.search.history.HistoryQuery;
import io.facestream.search.history.HistorySettings;
import io.facestream.search.history.QueryVector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench history}: the history index behind {@code POST /api/v1/search} with synthetic face-like
 * embeddings (people as random unit centres, each face a centre plus noise at cosine about 0.7, spread over
 * {@code --days} daily partitions): indexing rate, query latency (p50/p99, all partitions, limit 50) and
 * recall@limit against an exact scan of the same vectors, then the time to erase one person. Fixed seed.
 */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "History index: build rate, search p50/p99 and recall against exact search, erasure time.")
public final class HistoryBenchCommand implements Callable<Integer> {

    private static final int DIM = 192;
    private static final String MODEL = "bench";

    @Option(names = "--size", defaultValue = "100000", description = "Faces indexed (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--people", defaultValue = "2000", description = "Distinct people (default: ${DEFAULT-VALUE}).")
    int people;

    @Option(names = "--days", defaultValue = "7", description = "Daily partitions (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--queries", defaultValue = "200", description = "Timed queries (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--limit", defaultValue = "50", description = "Hits per query (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() throws Exception {
        if (size < 1 || people < 1 || days < 1 || days > 365 || queries < 1 || limit < 1 || limit > 10_000) {
            System.err.println("--size, --people, --queries and --limit (at most 10000) must be at least 1, "
                    + "--days 1 to 365");
            return 2;
        }
        Random random = new Random(42);
        float[][] centres = new float[people][];
        for (int p = 0; p < people; p++) {
            centres[p] = unit(random);
        }
        float[][] faces = new float[size][];
        int[] personOf = new int[size];
        long now = System.currentTimeMillis();
        long span = Duration.ofDays(days).toMillis() - Duration.ofHours(1).toMillis();
        Path dir = Files.createTempDirectory("facestream-history-bench");
        try {
            HistorySettings settings = new HistorySettings(Duration.ofDays(1), Duration.ofDays(days + 1), 64, 1000);
            long t0 = System.nanoTime();
            try (HistoryIndex index = HistoryIndex.open(dir, settings, Clock.systemUTC())) {
                for (int i = 0; i < size; i++) {
                    personOf[i] = random.nextInt(people);
                    faces[i] = noisy(centres[personOf[i]], 0.7, random);
                    long at = now - span + (long) ((double) i / size * span);
                    index.add(new HistoryEntry("f" + i, "fr" + i, "cam-" + (i % 8), at, MODEL, faces[i]));
                }
                index.commit(java.util.Map.of());
                double buildS = (System.nanoTime() - t0) / 1e9;

                double[] latencies = new double[queries];
                double recallSum = 0;
                double recallAbove = 0;
                for (int q = -10; q < queries; q++) { // 10 untimed queries first
                    float[] query = noisy(centres[random.nextInt(people)], 0.7, random);
                    long s = System.nanoTime();
                    List<HistoryHit> hits = index.search(new HistoryQuery(List.of(new QueryVector(MODEL, query)),
                            Optional.empty(), 0, Long.MAX_VALUE, -1, limit)).hits();
                    double ms = (System.nanoTime() - s) / 1e6;
                    if (q >= 0) {
                        latencies[q] = ms;
                        recallSum += recall(hits, exact(faces, query, limit, -1));
                        List<HistoryHit> above = index.search(new HistoryQuery(List.of(new QueryVector(MODEL, query)),
                                Optional.empty(), 0, Long.MAX_VALUE, 0.5, limit)).hits();
                        recallAbove += recall(above, exact(faces, query, limit, 0.5));
                    }
                }
                Arrays.sort(latencies);
                int victim = personOf[0];
                long e0 = System.nanoTime();
                int erased = index.erase("nobody-matched", List.of(new QueryVector(MODEL, centres[victim])), 0.5);
                double eraseMs = (System.nanoTime() - e0) / 1e6;
                System.out.printf("size=%d people=%d partitions=%d dim=%d limit=%d%n", size, people,
                        index.partitionStarts().size(), DIM, limit);
                System.out.printf("build_s=%.1f%n", buildS);
                System.out.printf("faces_per_s=%.0f%n", size / buildS);
                System.out.printf("p50_ms=%.2f%n", latencies[queries / 2]);
                int p99 = (int) Math.min(queries - 1, Math.ceil(queries * 0.99) - 1);
                System.out.printf("p99_ms=%.2f%n", latencies[p99]);
                System.out.printf("recall_at_limit=%.3f%n", recallSum / queries);
                System.out.printf("recall_at_min_score_0.5=%.3f%n", recallAbove / queries);
                System.out.printf("erase_ms=%.0f (%d faces erased by similarity, exact scan)%n", eraseMs, erased);
            }
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return 0;
    }

    private static double recall(List<HistoryHit> hits, Set<String> exact) {
        long found = hits.stream().filter(h -> exact.contains(h.faceId())).count();
        return exact.isEmpty() ? 1 : (double) found / exact.size();
    }

    /** The {@code k} best faces by an exact scan, of those at or above {@code minScore}. */
    private static Set<String> exact(float[][] faces, float[] query, int k, double minScore) {
        double[] score = new double[faces.length];
        for (int i = 0; i < faces.length; i++) {
            score[i] = dot(faces[i], query);
        }
        Set<String> out = new HashSet<>();
        IntStream.range(0, faces.length).boxed().filter(i -> score[i] >= minScore)
                .sorted((a, b) -> Double.compare(score[b], score[a])).limit(k)
                .forEach(i -> out.add("f" + i));
        return out;
    }

    private static float[] unit(Random random) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return normalised(v);
    }

    /** A unit vector at cosine about {@code cos} to the unit vector {@code centre}. */
    private static float[] noisy(float[] centre, double cos, Random random) {
        float[] noise = unit(random);
        double sin = Math.sqrt(1 - cos * cos);
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) (cos * centre[i] + sin * noise[i]);
        }
        return normalised(v);
    }

    private static float[] normalised(float[] v) {
        double n = Math.sqrt(dot(v, v));
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] / n);
        }
        return v;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
