package io.facestream.clusters.density;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.clusters.density.Changes.Merge;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Faces are unit vectors in a plane at a given angle, so cosine distance is 1 − cos(Δangle): with
 * maxDistance 0.5, two faces are neighbours when at most 60° apart.
 */
class UnknownClustersTest {

    private static final ClusterConfig CONFIG = new ClusterConfig(0.5, 3, 1000, Duration.ofDays(7), 2);
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final UnknownClusters clusters = new UnknownClusters(CONFIG);
    private int seconds;

    private UnknownFace face(String id, double degrees) {
        return face(id, degrees, "track-" + id, "cam-1", "m1", 0.5);
    }

    private UnknownFace face(String id, double degrees, String track, String camera, String model, double quality) {
        double r = Math.toRadians(degrees);
        return new UnknownFace(id, track, camera, T0.plusSeconds(seconds++), model,
                new float[] {(float) Math.cos(r), (float) Math.sin(r), 0, 0}, quality, new byte[] {1});
    }

    private static float[] at(double degrees) {
        double r = Math.toRadians(degrees);
        return new float[] {(float) Math.cos(r), (float) Math.sin(r), 0, 0};
    }

    @Test
    void threeFacesWithinReachFormACoreClusterTwoDoNot() {
        assertTrue(clusters.add(face("a", 0)).isEmpty());
        assertTrue(clusters.add(face("b", 10)).isEmpty());
        assertEquals(List.of(), clusters.largest(10), "two faces are below min-faces");
        Changes third = clusters.add(face("c", 20));
        assertEquals(1, third.updated().size());
        ClusterView k = third.updated().get(0);
        assertEquals(UnknownClusters.derivedId("a"), k.clusterId(), "named after its first core face");
        assertEquals(3, k.size());
        assertEquals(List.of("c", "b", "a"), k.faceIds(), "latest first");
        assertEquals(T0, k.firstSeen());
        assertEquals(T0.plusSeconds(2), k.lastSeen());
    }

    @Test
    void aFarFaceStaysNoiseAndAFaceNextToACoreJoinsAsBorder() {
        clusters.add(face("a", 0));
        clusters.add(face("b", 10));
        clusters.add(face("c", 20));
        assertTrue(clusters.add(face("far", 180)).isEmpty());
        assertEquals(Optional.empty(), clusters.clusterOf("far"));
        // 75°: within reach of c (55°) only, so it is not a core, but c is
        Changes border = clusters.add(face("border", 75));
        assertEquals(Optional.of(UnknownClusters.derivedId("a")), clusters.clusterOf("border"));
        assertEquals(4, border.updated().get(0).size());
        assertEquals(5, clusters.faces());
    }

    @Test
    void aFaceThatReachesTwoClustersMergesThemIntoTheOlderAndRecordsTheMerge() {
        clusters.add(face("a", 0));
        clusters.add(face("b", 10));
        clusters.add(face("c", 20));
        clusters.add(face("x", 90));
        clusters.add(face("y", 100));
        clusters.add(face("z", 110));
        String older = UnknownClusters.derivedId("a");
        String younger = UnknownClusters.derivedId("x");
        assertEquals(2, clusters.largest(10).size());
        Changes bridge = clusters.add(face("bridge", 55));
        assertEquals(List.of(new Merge(younger, older)), bridge.merges());
        assertEquals(List.of(older), bridge.updated().stream().map(ClusterView::clusterId).toList());
        assertEquals(7, bridge.updated().get(0).size());
        assertEquals(older, clusters.resolve(younger));
        assertEquals(older, clusters.cluster(younger).orElseThrow().clusterId(), "the absorbed id leads to the survivor");
        assertEquals(1, clusters.largest(10).size());
    }

    @Test
    void replayingTheSameFacesGivesTheSameIds() {
        List<UnknownFace> faces = List.of(face("a", 0), face("b", 10), face("c", 20), face("x", 120), face("y", 130),
                face("z", 140), face("far", 250));
        faces.forEach(clusters::add);
        UnknownClusters replay = new UnknownClusters(CONFIG);
        faces.forEach(replay::add);
        assertEquals(ids(clusters), ids(replay));
    }

    @Test
    void aRestartThatReplaysInAnotherOrderKeepsThePublishedIdsAndNames() {
        List<UnknownFace> faces = List.of(face("a", 0), face("b", 10), face("c", 20), face("x", 120), face("y", 130),
                face("z", 140));
        faces.forEach(clusters::add);
        String first = clusters.clusterOf("a").orElseThrow();
        clusters.name(first, "person-1");
        UnknownClusters restarted = new UnknownClusters(CONFIG);
        for (ClusterView k : clusters.largest(10)) {
            restarted.remember(k.clusterId(), k.faceIds(), k.identityId(), null);
        }
        List<UnknownFace> reversed = new ArrayList<>(faces);
        Collections.reverse(reversed);
        reversed.forEach(restarted::add); // c founds the first cluster this time
        assertEquals(ids(clusters), ids(restarted));
        assertEquals("person-1", restarted.cluster(first).orElseThrow().identityId());
    }

    @Test
    void aTrackThatBecomesKnownTakesItsFacesAndTheirDensityAway() {
        clusters.add(face("a", 0, "t1", "cam-1", "m1", 0.5));
        clusters.add(face("b", 10, "t1", "cam-1", "m1", 0.5));
        clusters.add(face("c", 20, "t2", "cam-2", "m1", 0.5));
        String id = clusters.clusterOf("c").orElseThrow();
        assertEquals(List.of("cam-1", "cam-2"), clusters.cluster(id).orElseThrow().cameras());
        clusters.name(id, "person-1");
        assertTrue(clusters.leaveTrack("t1", "person-1").isEmpty(), "a track of the person the cluster is named to");
        Changes known = clusters.leaveTrack("t1", "person-2");
        assertEquals(List.of(id), known.removed(), "c alone is no core: the cluster is gone");
        assertEquals(Optional.empty(), clusters.clusterOf("c"));
        assertEquals(1, clusters.faces(), "c stays, unclustered, and may join a cluster later");
    }

    @Test
    void aFaceLeavesAndTheClusterKeepsTheRestWhileTheyStayDense() {
        for (int i = 0; i < 5; i++) {
            clusters.add(face("f" + i, i * 5));
        }
        String id = clusters.clusterOf("f0").orElseThrow();
        Changes left = clusters.leave("f2");
        assertEquals(4, left.updated().get(0).size());
        assertEquals(Optional.empty(), clusters.clusterOf("f2"));
        assertEquals(id, clusters.clusterOf("f4").orElseThrow());
    }

    @Test
    void facesMatchingANewlyEnrolledSampleLeaveExceptThoseOfTheClusterNamedToThatPerson() {
        clusters.add(face("a", 0));
        clusters.add(face("b", 10));
        clusters.add(face("c", 20));
        clusters.add(face("x", 120));
        clusters.add(face("y", 130));
        clusters.add(face("z", 140));
        String named = clusters.clusterOf("a").orElseThrow();
        String other = clusters.clusterOf("x").orElseThrow();
        clusters.name(named, "person-1");
        assertTrue(clusters.leaveMatching("m1", at(10), 0.9, "person-1").isEmpty(), "its own cluster stays");
        Changes enrolled = clusters.leaveMatching("m1", at(130), 0.9, "person-2");
        assertEquals(List.of(other), enrolled.removed());
        assertTrue(clusters.leaveMatching("m2", at(10), 0.9, "person-3").isEmpty(), "another model's sample");
        assertEquals(List.of(named), ids(clusters));
    }

    @Test
    void erasingThePersonAClusterIsNamedToRemovesItsFaces() {
        clusters.add(face("a", 0));
        clusters.add(face("b", 10));
        clusters.add(face("c", 20));
        String id = clusters.clusterOf("a").orElseThrow();
        assertEquals(Optional.empty(), clusters.name("u-none", "person-1"));
        assertEquals("person-1", clusters.name(id, "person-1").orElseThrow().updated().get(0).identityId());
        assertTrue(clusters.eraseIdentity("person-2").isEmpty());
        assertEquals(Set.of(), clusters.namedFaces("person-2"));
        assertEquals(Set.of("a", "b", "c"), clusters.namedFaces("person-1"), "what the erasure will mark");
        Changes erased = clusters.eraseIdentity("person-1");
        assertEquals(List.of(id), erased.removed());
        assertEquals(0, clusters.faces());
    }

    @Test
    void theCapDropsTheOldestFacesAndTheRetentionTheStaleOnes() {
        UnknownClusters small = new UnknownClusters(new ClusterConfig(0.5, 3, 5, Duration.ofHours(1), 2));
        for (int i = 0; i < 12; i++) {
            small.add(face("f" + i, i * 2));
        }
        assertEquals(5, small.faces());
        assertEquals(Optional.empty(), small.clusterOf("f6"));
        assertTrue(small.clusterOf("f7").isPresent());
        assertEquals(5, small.largest(10).get(0).size());
        Changes later = small.expire(T0.plus(Duration.ofHours(2)));
        assertEquals(1, later.removed().size());
        assertEquals(0, small.faces());
        UnknownFace stale = new UnknownFace("old", null, "cam", T0, "m1", at(0), 0, null);
        small.add(stale);
        assertEquals(0, small.faces(), "a face from before the window is not held");
    }

    @Test
    void facesOfDifferentModelsNeverShareACluster() {
        clusters.add(face("a", 0, "t", "cam", "m1", 0));
        clusters.add(face("b", 1, "t", "cam", "m2", 0));
        clusters.add(face("c", 2, "t", "cam", "m1", 0));
        assertEquals(List.of(), clusters.largest(10));
    }

    @Test
    void representativesAreTheBestFacesAndLimitsAreChecked() {
        clusters.add(face("a", 0, "t", "cam", "m1", 0.2));
        clusters.add(face("b", 10, "t", "cam", "m1", 0.9));
        clusters.add(face("c", 20, "t", "cam", "m1", 0.7));
        ClusterView k = clusters.largest(1).get(0);
        assertEquals(List.of("b", "c"), k.representatives().stream().map(UnknownFace::faceId).toList());
        assertThrows(IllegalArgumentException.class, () -> new ClusterConfig(0, 3, 10, Duration.ofDays(1), 1));
        assertThrows(IllegalArgumentException.class, () -> new ClusterConfig(0.5, 1, 10, Duration.ofDays(1), 1));
        assertThrows(IllegalArgumentException.class, () -> new ClusterConfig(0.5, 3, 2, Duration.ofDays(1), 1));
        assertThrows(IllegalArgumentException.class,
                () -> new UnknownFace("z", null, "c", T0, "m1", new float[4], 0, null));
        assertFalse(clusters.add(face("a", 0)).updated().size() > 0, "a face already held is ignored");
    }

    private static List<String> ids(UnknownClusters c) {
        Map<String, Integer> sorted = new TreeMap<>();
        c.largest(100).forEach(k -> sorted.put(k.clusterId(), k.size()));
        return List.copyOf(sorted.keySet());
    }
}
