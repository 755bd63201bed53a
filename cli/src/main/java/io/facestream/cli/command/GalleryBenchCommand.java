package io.facestream.cli.command;

import io.facestream.cli.ModelOptions;
import io.facestream.core.similarity.Embedding;
import io.facestream.galleryindex.hnsw.HnswGalleryIndex;
import io.facestream.galleryindex.hnsw.HnswSettings;
import io.facestream.galleryindex.synthetic.Cosines;
import io.facestream.galleryindex.synthetic.FaceLikeGallery;
import io.facestream.galleryindex.synthetic.FittedFaces;
import io.facestream.galleryindex.synthetic.SyntheticFaces;
import io.facestream.inference.evaluation.PairEvaluation;
import io.facestream.cli.pipeline.Directories;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.lucene.util.VectorUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench gallery}: the HNSW gallery index against exact brute force, in one run. A face-like synthetic
 * gallery ({@link FaceLikeGallery}: identities with several noisy samples), mixed with real faces-dev
 * embeddings (MobileFaceNet on the largest face of each image; all but one image of each person enrolled, the
 * held-out one a probe); probes are fresh noisy samples of enrolled identities. Reports build time, heap, query
 * latency, recall@1 of the best identity against the exact answer, the time to reopen the persisted index and
 * replay a tail, and the same after deleting half of the samples.
 */
@Command(name = "gallery", mixinStandardHelpOptions = true,
        description = "HNSW gallery index vs exact search: build time, heap, p50/p99 latency, recall@1, restart, deletions.")
public final class GalleryBenchCommand implements Callable<Integer> {

    private static final int DIMENSION = 192;
    private static final int TOP_K = 5;
    /** faces-dev images per person the FITTED distribution learns from (its people have 2-11). */
    private static final int FIT_PER_PERSON = 20;

    @Mixin
    ModelOptions options;

    @Option(names = "--size", required = true, description = "Samples in the gallery.")
    int size;

    @Option(names = "--per-identity", defaultValue = "4", description = "Samples per identity (default: ${DEFAULT-VALUE}).")
    int perIdentity;

    @Option(names = "--probes", defaultValue = "1000", description = "Queries per measurement (default: ${DEFAULT-VALUE}).")
    int probes;

    @Option(names = "--tail", defaultValue = "1000",
            description = "Samples written after the last commit, replayed on reopen (default: ${DEFAULT-VALUE}).")
    int tail;

    @Option(names = "--candidates", defaultValue = "100", description = "HNSW candidates re-ranked exactly (default: ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = "--max-connections", defaultValue = "16", description = "HNSW M (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--beam-width", defaultValue = "100", description = "HNSW build beam (default: ${DEFAULT-VALUE}).")
    int beamWidth;

    @Option(names = "--ram-buffer-mb", defaultValue = "256",
            description = "Index write buffer, as in the matcher's config (default: ${DEFAULT-VALUE}).")
    int ramBufferMb;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--faces-dev", defaultValue = "${env:FACESTREAM_SHARED_DIR:-../shared}/faces-dev",
            description = "faces-dev folder whose people are mixed into the gallery; skipped when absent.")
    Path facesDev;

    @Option(names = "--real-people", defaultValue = "40",
            description = "faces-dev people mixed in, 0 = none (default: ${DEFAULT-VALUE}).")
    int realPeople;

    @Option(names = "--real-per-person", defaultValue = "4",
            description = "faces-dev images per person, the last one a probe (default: ${DEFAULT-VALUE}).")
    int realPerPerson;

    @Option(names = "--embeddings-cache", defaultValue = "${env:FACESTREAM_CACHE_DIR:-.cache}/faces-dev-embeddings.tsv",
            description = "faces-dev embeddings computed once and reused (default: ${DEFAULT-VALUE}).")
    Path embeddingsCache;

    @Option(names = "--work-dir", defaultValue = "${env:FACESTREAM_CACHE_DIR:-.cache}/bench-gallery",
            description = "Where the index is written; emptied first and removed after (default: ${DEFAULT-VALUE}).")
    Path workDir;

    enum Distribution { FITTED, ISOTROPIC }

    @Option(names = "--distribution", defaultValue = "FITTED", description = "Synthetic identities: FITTED to every"
            + " faces-dev person's real embeddings (needs faces-dev), or ISOTROPIC (FaceLikeGallery, the worst case for"
            + " a graph index) (default: ${DEFAULT-VALUE}).")
    Distribution distribution;

    @Option(names = "--keep", description = "Leave the committed index in --work-dir; a later run with the same"
            + " gallery and graph settings reopens it instead of building again (it reports the build time of the run"
            + " that built it).")
    boolean keep;

    @Option(names = "--sweep", split = ",", description = "More search beams (candidates) measured on the same index"
            + " and probes, e.g. 50,200,400: the recall/latency trade-off.")
    List<Integer> sweep = List.of();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (size < 10 || perIdentity < 1 || probes < 1 || tail < 0) {
            spec.commandLine().getErr().println("ERROR need --size >= 10, --per-identity >= 1, --probes >= 1, --tail >= 0");
            return 2;
        }
        HnswSettings settings = new HnswSettings(maxConnections, beamWidth, candidates, 0.2, size + tail + 1, ramBufferMb);
        Map<String, List<float[]>> real = realFaces(out, realPeople, realPerPerson);
        SyntheticFaces synthetic;
        if (distribution == Distribution.FITTED) {
            Map<String, List<float[]>> everyone = realFaces(out, Integer.MAX_VALUE, FIT_PER_PERSON);
            if (everyone.size() < 3) {
                spec.commandLine().getErr().println("ERROR --distribution FITTED needs faces-dev (" + facesDev
                        + "); --distribution ISOTROPIC needs nothing");
                return 2;
            }
            FittedFaces fitted = FittedFaces.fit(everyone, seed);
            out.println("synthetic identities " + fitted.describe());
            synthetic = fitted;
            Map<String, List<float[]>> drawn = new LinkedHashMap<>();
            float[][] some = fitted.centres(everyone.size());
            Random r = new Random(seed + 4);
            List<Integer> sizes = everyone.values().stream().map(List::size).toList();
            for (int i = 0; i < some.length; i++) {
                List<float[]> l = new ArrayList<>();
                for (int j = 0; j < sizes.get(i); j++) {
                    l.add(fitted.sample(some[i], r));
                }
                drawn.put("s" + i, l);
            }
            out.println("cosines, faces-dev: " + Cosines.of(everyone) + "; as many synthetic identities: "
                    + Cosines.of(drawn));
        } else {
            synthetic = FaceLikeGallery.defaults(DIMENSION, seed);
            out.println("synthetic identities isotropic (FaceLikeGallery defaults)");
        }
        Gallery g = Gallery.generate(size, perIdentity, real, synthetic, seed);
        out.printf(Locale.ROOT, "gallery: %d samples of %d identities (%d real faces-dev samples of %d people), %d-d%n",
                g.size(), g.identityCount(), g.realSamples, real.size(), DIMENSION);

        Path indexDir = workDir.resolve("index");
        // what the committed index was built from: a kept index is reused only for the very same gallery
        Map<String, String> recipe = Map.of("bench.distribution", distribution.name(),
                "bench.size", Integer.toString(g.size()), "bench.seed", Long.toString(seed),
                "bench.per-identity", Integer.toString(perIdentity), "bench.real-samples", Integer.toString(g.realSamples),
                "bench.max-connections", Integer.toString(maxConnections), "bench.beam-width", Integer.toString(beamWidth));
        Runtime rt = Runtime.getRuntime();
        long heapBefore = usedHeap(rt);
        HnswGalleryIndex index = reusable(indexDir, settings, recipe);
        double buildS;
        long heapMb;
        if (index != null) {
            buildS = Double.parseDouble(index.committedData().get("bench.build-s"));
            heapMb = Long.parseLong(index.committedData().get("bench.heap-mb"));
            out.printf(Locale.ROOT, "reused the index kept in %s: %s; build time and heap are from the run that built it%n",
                    indexDir, index.stats());
        } else {
            Directories.deleteRecursively(workDir);
            Files.createDirectories(workDir);
            long t0 = System.nanoTime();
            index = HnswGalleryIndex.open(indexDir, DIMENSION, settings);
            float[] v = new float[DIMENSION];
            for (int i = 0; i < g.size(); i++) {
                index.put(g.identityId(i), "s" + i, g.vector(i, v));
            }
            index.commit(Map.of("gallery.offset.0", Long.toString(g.size())));
            buildS = (System.nanoTime() - t0) / 1e9;
            heapMb = Math.max(0, usedHeap(rt) - heapBefore) >> 20;
            Map<String, String> data = new LinkedHashMap<>(recipe);
            data.put("gallery.offset.0", Long.toString(g.size()));
            data.put("bench.build-s", String.format(Locale.ROOT, "%.1f", buildS));
            data.put("bench.heap-mb", Long.toString(heapMb));
            index.commit(data); // nothing new to write: only the recipe joins the commit, for --keep
        }
        out.printf(Locale.ROOT, "built in %.1f s: %s, %d MB on disk, heap held after the commit %d MB%n", buildS,
                index.stats(), folderBytes(indexDir) >> 20, heapMb);

        Exact exact = Exact.of(g);
        Probes p = Probes.of(g, probes, seed + 1);
        Measurement before = measure(index, exact, p, out, "", candidates);
        for (int c : sweep) {
            measure(index, exact, p, out, "_candidates_" + c, c);
        }

        // restart: what the matcher does, minus Kafka: reopen, learn the sample keys, replay the newer tail, match
        Random tailRandom = new Random(seed + 2);
        for (int i = 0; i < tail; i++) {
            index.put("tail" + i, "s0", g.synthetic.sample(g.centres[tailRandom.nextInt(g.centres.length)], tailRandom));
        }
        index.close(); // the tail was not committed: it is replayed
        long r0 = System.nanoTime();
        index = HnswGalleryIndex.open(indexDir, DIMENSION, settings);
        long[] keys = new long[1];
        index.forEachSample((identity, sample) -> keys[0]++);
        tailRandom = new Random(seed + 2);
        for (int i = 0; i < tail; i++) {
            index.put("tail" + i, "s0", g.synthetic.sample(g.centres[tailRandom.nextInt(g.centres.length)], tailRandom));
        }
        index.search(p.queries[0], TOP_K);
        double restartS = (System.nanoTime() - r0) / 1e9;
        out.printf(Locale.ROOT, "restart: reopened %d samples, replayed %d, first match in %.2f s%nrestart_s=%.2f%n",
                keys[0], tail, restartS, restartS);
        for (int i = 0; i < tail; i++) {
            index.removeSample("tail" + i, "s0");
        }

        long d0 = System.nanoTime();
        Random deletions = new Random(seed + 3);
        int deleted = 0;
        for (int i = 0; i < g.size(); i++) {
            if (deletions.nextBoolean()) {
                index.removeSample(g.identityId(i), "s" + i);
                exact.deleted[i] = true;
                deleted++;
            }
        }
        index.search(p.queries[0], TOP_K); // applies the deletions
        out.printf(Locale.ROOT, "deleted %d samples in %.1f s: %s%n", deleted, (System.nanoTime() - d0) / 1e9, index.stats());
        Measurement after = measure(index, exact, p, out, "_after_delete", candidates);

        out.printf(Locale.ROOT, "recall_at_1=%.4f%n", before.recall);
        out.printf(Locale.ROOT, "p50_ms=%.3f%n", before.p50);
        out.printf(Locale.ROOT, "p99_ms=%.3f%n", before.p99);
        out.printf(Locale.ROOT, "exact_p50_ms=%.3f%n", before.exactP50);
        out.printf(Locale.ROOT, "speedup_vs_exact=%.1f%n", before.exactP50 / before.p50);
        out.printf(Locale.ROOT, "build_s=%.1f%n", buildS);
        out.printf(Locale.ROOT, "heap_mb=%d%n", heapMb);
        out.printf(Locale.ROOT, "recall_at_1_after_delete=%.4f%n", after.recall);
        out.flush();
        // after the figures: closing waits for the background merge of the deletions to abort; the tail and the
        // deletions were never committed, so a kept index is the gallery as built
        index.close();
        if (!keep) {
            Directories.deleteRecursively(workDir);
        }
        return 0;
    }

    /** The kept index in {@code dir} when it was committed from the same recipe, else null. */
    private static HnswGalleryIndex reusable(Path dir, HnswSettings settings, Map<String, String> recipe) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        HnswGalleryIndex index = HnswGalleryIndex.open(dir, DIMENSION, settings);
        Map<String, String> data = index.committedData();
        if (data.entrySet().containsAll(recipe.entrySet()) && data.containsKey("bench.build-s")) {
            return index;
        }
        index.close();
        return null;
    }

    private record Measurement(double recall, double p50, double p99, double exactP50) {
    }

    /** HNSW and exact answers for every probe; latency of each, recall@1 of the best identity. */
    private static Measurement measure(HnswGalleryIndex index, Exact exact, Probes p, PrintWriter out, String suffix,
            int candidates) {
        int n = p.queries.length;
        for (int i = 0; i < Math.min(n, 1000); i++) {
            index.search(p.queries[i], TOP_K, candidates); // warm-up
        }
        long[] annNanos = new long[n];
        String[] annTop = new String[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            var hits = index.search(p.queries[i], TOP_K, candidates);
            annNanos[i] = System.nanoTime() - t;
            annTop[i] = hits.isEmpty() ? null : hits.get(0).identityId();
        }
        exact.top(p.queries[0]); // warm-up
        long[] exactNanos = new long[n];
        int agree = 0;
        int realAgree = 0;
        int realProbes = 0;
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            String want = exact.top(p.queries[i]);
            exactNanos[i] = System.nanoTime() - t;
            boolean same = want != null && want.equals(annTop[i]);
            agree += same ? 1 : 0;
            if (p.real[i]) {
                realProbes++;
                realAgree += same ? 1 : 0;
            }
        }
        Arrays.sort(annNanos);
        Arrays.sort(exactNanos);
        Measurement m = new Measurement(agree / (double) n, annNanos[n / 2] / 1e6,
                annNanos[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)] / 1e6, exactNanos[n / 2] / 1e6);
        out.printf(Locale.ROOT, "hnsw%s: %d candidates, recall@1 %.4f (real faces-dev probes %d/%d), p50 %.3f ms, p99 %.3f ms;"
                + " exact p50 %.3f ms%n", suffix, candidates, m.recall, realAgree, realProbes, m.p50, m.p99, m.exactP50);
        return m;
    }

    private static long usedHeap(Runtime rt) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static long folderBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /**
     * faces-dev people with at least two embedded images: up to {@code --real-per-person} images of each of up to
     * {@code --real-people} people, embedded once (largest face) and appended to the cache as they are done, so
     * an interrupted run resumes where it stopped.
     */
    private Map<String, List<float[]>> realFaces(PrintWriter out, int maxPeople, int perPerson) throws IOException {
        Map<String, List<float[]>> byPerson = new LinkedHashMap<>();
        Path manifest = facesDev.resolve("manifest.tsv");
        if (maxPeople == 0 || !Files.isRegularFile(manifest)) {
            out.println("no faces-dev people (" + (maxPeople == 0 ? "--real-people 0" : manifest + " not found") + ")");
            return byPerson;
        }
        Map<String, float[]> cached = new LinkedHashMap<>();
        Map<String, String> cachedPerson = new LinkedHashMap<>();
        if (Files.isRegularFile(embeddingsCache)) {
            for (String line : Files.readAllLines(embeddingsCache)) {
                String[] f = line.split("\t");
                if (f.length == DIMENSION + 2) {
                    float[] e = new float[DIMENSION];
                    for (int i = 0; i < DIMENSION; i++) {
                        e[i] = Float.parseFloat(f[i + 2]);
                    }
                    cached.put(f[0], e);
                    cachedPerson.put(f[0], f[1]);
                }
            }
        }
        Map<String, List<String>> images = new LinkedHashMap<>();
        List<String> rows = Files.readAllLines(manifest);
        for (String line : rows.subList(1, rows.size())) {
            String[] f = line.split("\t");
            // people only: not the no-face photos nor the group photos of the detector's ground truth
            if (f.length >= 2 && !f[1].startsWith("noface") && !f[1].contains(":")) {
                List<String> of = images.computeIfAbsent(f[1], k -> new ArrayList<>());
                if (of.size() < perPerson) {
                    of.add(f[0]);
                }
            }
        }
        images.values().removeIf(l -> l.size() < 2);
        PairEvaluation embedder = null;
        Files.createDirectories(embeddingsCache.toAbsolutePath().getParent());
        int people = 0;
        int embedded = 0;
        for (Map.Entry<String, List<String>> person : images.entrySet()) {
            if (people++ >= maxPeople) {
                break;
            }
            for (String path : person.getValue()) {
                float[] e = cached.get(path);
                if (e == null) {
                    embedder = embedder != null ? embedder : new PairEvaluation(options.analyzer(), options.decoder());
                    Optional<Embedding> found = embedder.embed(facesDev.resolve(path)).embedding();
                    StringBuilder sb = new StringBuilder(path).append('\t').append(person.getKey());
                    e = found.map(Embedding::toArray).orElse(null);
                    if (e == null) {
                        continue;
                    }
                    for (float x : e) {
                        sb.append('\t').append(x);
                    }
                    Files.writeString(embeddingsCache, sb.append('\n'), java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.APPEND);
                    embedded++;
                }
                byPerson.computeIfAbsent(person.getKey(), k -> new ArrayList<>()).add(e);
            }
        }
        out.printf(Locale.ROOT, "faces-dev: %d embeddings (%d new, cache %s)%n",
                byPerson.values().stream().mapToInt(List::size).sum(), embedded, embeddingsCache);
        byPerson.values().removeIf(l -> l.size() < 2);
        return byPerson;
    }

    /**
     * Sample {@code i}: the first {@code realSamples} are real faces-dev embeddings (every image of a person but
     * the last), the rest synthetic, regenerated from the seed on demand so the gallery itself costs no heap.
     */
    private static final class Gallery {
        final SyntheticFaces synthetic;
        final float[][] centres;
        final List<float[]> realVectors = new ArrayList<>();
        final List<String> realIds = new ArrayList<>();
        final List<float[]> realProbes = new ArrayList<>();
        final List<String> realProbeIds = new ArrayList<>();
        final int realSamples;
        final int perIdentity;
        final int total;
        final long seed;

        private Gallery(int size, int perIdentity, Map<String, List<float[]>> real, SyntheticFaces synthetic, long seed) {
            this.perIdentity = perIdentity;
            this.seed = seed;
            real.forEach((person, list) -> {
                for (int i = 0; i < list.size() - 1; i++) {
                    realVectors.add(FaceLikeGallery.unit(list.get(i).clone()));
                    realIds.add("real-" + person);
                }
                realProbes.add(FaceLikeGallery.unit(list.get(list.size() - 1).clone()));
                realProbeIds.add("real-" + person);
            });
            realSamples = Math.min(realVectors.size(), size / 2);
            total = size;
            this.synthetic = synthetic;
            centres = synthetic.centres((size - realSamples + perIdentity - 1) / perIdentity);
        }

        static Gallery generate(int size, int perIdentity, Map<String, List<float[]>> real, SyntheticFaces synthetic,
                long seed) {
            return new Gallery(size, perIdentity, real, synthetic, seed);
        }

        int size() {
            return total;
        }

        int identityCount() {
            return centres.length + (int) realIds.stream().distinct().count();
        }

        String identityId(int i) {
            return i < realSamples ? realIds.get(i) : "id" + (i - realSamples) / perIdentity;
        }

        /** Sample {@code i}'s vector, written into {@code into} (or the real embedding itself). */
        float[] vector(int i, float[] into) {
            if (i < realSamples) {
                return realVectors.get(i);
            }
            int s = i - realSamples;
            float[] v = synthetic.sample(centres[s / perIdentity], new Random(seed * 1_000_003L + s));
            System.arraycopy(v, 0, into, 0, v.length);
            return into;
        }
    }

    /**
     * The exact answer: every sample scanned in full, the brute force the index replaces. Its dot product is
     * Lucene's, the one the graph walk uses, so both sides get the same SIMD code where the JVM offers it (Java
     * 21+ with the vector module; plain Java on 17) and the speedup compares search strategies, not loops.
     */
    private static final class Exact {
        final float[][] rows;
        final String[] identityOf;
        final boolean[] deleted;

        private Exact(int n) {
            rows = new float[n][];
            identityOf = new String[n];
            deleted = new boolean[n];
        }

        static Exact of(Gallery g) {
            Exact e = new Exact(g.size());
            float[] v = new float[DIMENSION];
            for (int i = 0; i < g.size(); i++) {
                e.rows[i] = g.vector(i, v).clone();
                e.identityOf[i] = g.identityId(i);
            }
            return e;
        }

        /** The identity of the live sample with the highest cosine: the best identity (its best sample wins). */
        String top(float[] q) {
            float best = Float.NEGATIVE_INFINITY;
            int at = -1;
            for (int i = 0; i < rows.length; i++) {
                if (deleted[i]) {
                    continue;
                }
                float dot = VectorUtil.dotProduct(q, rows[i]);
                if (dot > best) {
                    best = dot;
                    at = i;
                }
            }
            return at < 0 ? null : identityOf[at];
        }
    }

    /** Fresh noisy samples of enrolled synthetic identities, and the held-out real faces. */
    private static final class Probes {
        final float[][] queries;
        final boolean[] real;

        private Probes(int n) {
            queries = new float[n][];
            real = new boolean[n];
        }

        static Probes of(Gallery g, int n, long seed) {
            Probes p = new Probes(n);
            Random random = new Random(seed);
            int realCount = g.realSamples > 0 ? Math.min(g.realProbes.size(), n / 10) : 0;
            for (int i = 0; i < n; i++) {
                if (i < realCount) {
                    p.queries[i] = g.realProbes.get(i);
                    p.real[i] = true;
                } else {
                    p.queries[i] = g.synthetic.sample(g.centres[random.nextInt(g.centres.length)], random);
                }
            }
            return p;
        }
    }
}
