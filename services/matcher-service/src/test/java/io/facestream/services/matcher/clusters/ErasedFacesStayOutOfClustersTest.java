package io.facestream.services.matcher.clusters;

import static io.facestream.services.matcher.MatcherBroker.near;
import static io.facestream.services.matcher.MatcherBroker.unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.clusters.density.ClusterView;
import io.facestream.pipeline.erasure.FaceErasures;
import io.facestream.services.matcher.MatcherBroker;
import io.facestream.services.matcher.config.ClustersConfig;
import io.facestream.services.matcher.config.MatcherConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * README "Unknown clusters": a person's UNKNOWN faces form a cluster, it is named to them, they are erased; a
 * restarted clustering (a new follower that reads the clusters topic and replays embeddings and matches) does not
 * bring those faces back in any cluster, while a stranger's cluster is rebuilt as before. On the in-process
 * broker, under the matcher's own login and ACLs.
 */
class ErasedFacesStayOutOfClustersTest {

    private static MatcherBroker broker;

    @BeforeAll
    static void start() {
        broker = new MatcherBroker();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void aRestartedClusteringDoesNotBringBackTheFacesOfAPersonErasedBefore() throws Exception {
        Random random = new Random(7);
        float[] person = unit(random);
        float[] stranger = unit(random);
        Instant at = Instant.now().minus(Duration.ofHours(1));
        Set<String> theirs = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            // one track per face: the sightings never decide KNOWN; the person is erased through their cluster
            String p = "person-" + i;
            String s = "stranger-" + i;
            theirs.add(p);
            broker.embedding(p, at.plusSeconds(i), near(person, 0.95, random));
            broker.match(p, "track-" + p, at.plusSeconds(i), null);
            broker.embedding(s, at.plusSeconds(i), near(stranger, 0.95, random));
            broker.match(s, "track-" + s, at.plusSeconds(i), null);
        }

        String clusterId;
        try (FaceErasures erasures = broker.erasures()) {
            UnknownClusterFollower first = follower(erasures);
            try {
                List<ClusterView> both = await(() -> withSize(first, 2), "the two strangers' clusters");
                clusterId = both.stream().filter(k -> theirs.containsAll(k.faceIds())).findFirst().orElseThrow()
                        .clusterId();
                // the operator names the cluster (POST /api/v1/clusters/{id}/name), then erases the person
                assertTrue(first.name(clusterId, "p1").isPresent());
                broker.identity("p1");
                broker.erase("p1", List.of());
                await(() -> first.cluster(clusterId).isEmpty() ? Boolean.TRUE : null, "the named cluster to go");
                assertEquals(1, first.largest(10).size());
            } finally {
                first.close(); // nothing to persist: a restart rebuilds everything from the topics
            }
        }

        try (FaceErasures erasures = broker.erasures()) {
            UnknownClusterFollower restarted = follower(erasures);
            try {
                // the stranger's faces are replayed into their cluster again: the replay has run
                List<ClusterView> after = await(() -> {
                    List<ClusterView> all = restarted.largest(10);
                    return all.stream().anyMatch(k -> k.faceIds().stream().anyMatch(f -> f.startsWith("stranger-")))
                            && !all.isEmpty() && all.get(0).size() == 4 ? all : null;
                }, "the stranger's cluster rebuilt");
                Thread.sleep(1000); // every replayed record has long been read; nothing more may come
                after = restarted.largest(10);
                for (ClusterView k : after) {
                    assertTrue(k.faceIds().stream().noneMatch(theirs::contains), "an erased face is back: " + k);
                }
                assertEquals(1, after.size(), "no new unnamed cluster of the erased person: " + after);
                assertTrue(restarted.cluster(clusterId).isEmpty());
                assertTrue(theirs.stream().allMatch(erasures::isErased), "their markers were read back");
            } finally {
                restarted.close();
            }
        }
    }

    private static UnknownClusterFollower follower(FaceErasures erasures) throws InterruptedException {
        MatcherConfig matcher = new MatcherConfig(0.5, Map.of(), 5, "unused", "facestream-matcher", 500, 5000, 50_000,
                1000, 0.2, 0.35, 0.6, Duration.ofSeconds(3), 32, 0.45, 3, 0.10, Duration.ofSeconds(30));
        return new UnknownClusterFollower(broker.pipeline(), new ClustersConfig(0.40, 3, 3000, Duration.ofDays(7), 3,
                5000), matcher, MatcherBroker.TOPICS, erasures, Clock.systemUTC());
    }

    private static List<ClusterView> withSize(UnknownClusterFollower f, int clusters) {
        List<ClusterView> all = f.largest(10);
        return all.size() == clusters && all.stream().allMatch(k -> k.size() == 4) ? all : null;
    }

    private static <T> T await(Supplier<T> probe, String what) throws InterruptedException {
        long deadline = System.nanoTime() + MatcherBroker.TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            T t = probe.get();
            if (t != null) {
                return t;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + " did not happen within " + MatcherBroker.TIMEOUT);
    }
}
