package io.facestream.clusters.density;

import io.facestream.core.similarity.Embedding;
import io.facestream.inference.evaluation.PairEvaluation;
import io.facestream.inference.mtcnn.MtcnnConfig;
import io.facestream.inference.testing.Detection;
import io.facestream.inference.testing.SharedData;
import io.facestream.vision.decode.DecodeLimits;
import io.facestream.vision.decode.ImageDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Not a test: embeds the labelled faces-dev sets with the real models, streams them (shuffled, fixed seed) into
 * {@link UnknownClusters} for a grid of (max-distance, min-faces), and prints per setting how many clusters
 * formed, how many mix two people, purity, the share of faces clustered and clusters per person (README,
 * "Unknown clusters"). Sets: dlib_johns, bbt_faceapi, human_samples, face_recognition and the first
 * {@value #ORL_PEOPLE} people of orl_att. Asserts nothing; runs only with {@code FACESTREAM_PROBE=true}.
 */
@EnabledIfEnvironmentVariable(named = "FACESTREAM_PROBE", matches = "true")
class ClusterCalibrationProbe {

    private static final int ORL_PEOPLE = 8;

    private record Labelled(String person, float[] vector) {
    }

    @Test
    void clusteringOfFacesDev() throws Exception {
        Path root = SharedData.require("faces-dev");
        PairEvaluation embedder = new PairEvaluation(Detection.analyzer(MtcnnConfig.DEFAULT),
                new ImageDecoder(DecodeLimits.defaults()));
        List<Labelled> faces = new ArrayList<>();
        for (String set : List.of("dlib_johns", "bbt_faceapi", "human_samples", "face_recognition", "orl_att")) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(root.resolve(set))) {
                files = s.filter(p -> p.toString().matches(".*\\.(jpe?g|png)")).sorted().toList();
            }
            if (set.equals("orl_att")) {
                // the first ORL_PEOPLE of its 40 people: embedding all 400 takes too long on a shared 2-core machine
                List<Path> people = files.stream().map(Path::getParent).distinct().sorted().limit(ORL_PEOPLE).toList();
                files = files.stream().filter(f -> people.contains(f.getParent())).toList();
            }
            System.out.printf(Locale.ROOT, "embedding %s: %d images%n", set, files.size());
            for (Path f : files) {
                Optional<Embedding> e = embedder.embed(f).embedding();
                e.ifPresent(v -> faces.add(new Labelled(set + "/" + f.getParent().getFileName(), v.toArray())));
            }
        }
        long people = faces.stream().map(Labelled::person).distinct().count();
        System.out.printf(Locale.ROOT, "faces=%d people=%d%n", faces.size(), people);
        Collections.shuffle(faces, new Random(13));
        System.out.println("max_distance min_faces clusters mixed purity clustered clusters_per_person people_clustered");
        for (double maxDistance : new double[] {0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6}) {
            for (int minFaces : new int[] {2, 3, 4, 5}) {
                report(faces, maxDistance, minFaces, people);
            }
        }
    }

    private static void report(List<Labelled> faces, double maxDistance, int minFaces, long people) {
        UnknownClusters clusters = new UnknownClusters(new ClusterConfig(maxDistance, minFaces, 10_000,
                Duration.ofDays(1), 3));
        Map<String, String> personOf = new HashMap<>();
        Instant t = Instant.parse("2026-12-01T00:00:00Z");
        for (int i = 0; i < faces.size(); i++) {
            String id = "f" + i;
            personOf.put(id, faces.get(i).person());
            clusters.add(new UnknownFace(id, null, "cam", t.plusMillis(i), "m", faces.get(i).vector(), 0, null));
        }
        List<ClusterView> all = clusters.largest(100_000);
        int mixed = 0;
        int majority = 0;
        int clustered = 0;
        Map<String, Integer> clustersPerPerson = new HashMap<>();
        for (ClusterView k : all) {
            Map<String, Integer> count = new HashMap<>();
            k.faceIds().forEach(f -> count.merge(personOf.get(f), 1, Integer::sum));
            if (count.size() > 1) {
                mixed++;
            }
            int top = Collections.max(count.values());
            majority += top;
            clustered += k.size();
            String main = count.entrySet().stream().filter(e -> e.getValue() == top).findFirst().orElseThrow().getKey();
            clustersPerPerson.merge(main, 1, Integer::sum);
        }
        double perPerson = clustersPerPerson.isEmpty() ? 0
                : clustersPerPerson.values().stream().mapToInt(Integer::intValue).average().orElse(0);
        System.out.printf(Locale.ROOT, "%.2f %d %d %d %.3f %.3f %.2f %d/%d%n", maxDistance, minFaces, all.size(), mixed,
                clustered == 0 ? 1.0 : (double) majority / clustered, (double) clustered / faces.size(), perPerson,
                clustersPerPerson.size(), people);
    }
}
