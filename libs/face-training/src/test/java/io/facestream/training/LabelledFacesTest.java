package io.facestream.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.training.dataset.LabelledFaces;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelledFacesTest {

    private static final byte[] A = {1, 2, 3};
    private static final byte[] B = {4, 5, 6};
    private static final byte[] C = {7, 8, 9};

    @TempDir
    Path root;

    @Test
    void storesEachCropOncePerClassAndCountsClasses() throws Exception {
        LabelledFaces data = new LabelledFaces(root);
        Path first = data.add("ann", A);
        assertEquals(first, data.add("ann", A), "the same crop twice is one file");
        data.add("ann", B);
        data.add("bob", A);
        assertEquals(Map.of("ann", 2L, "bob", 1L), data.counts());
    }

    @Test
    void notThisPersonMovesTheCropToTheNegativesAndErasureRemovesEverything() throws Exception {
        LabelledFaces data = new LabelledFaces(root);
        data.add("ann", A);
        data.add("ann", B);
        data.notThisPerson("ann", A);
        assertEquals(1, data.facesOf("ann").size());
        assertEquals(1, data.negativesOf("ann").size());
        data.notThisPerson("ann", C); // a face that was never labelled ann is a negative too
        assertEquals(2, data.negativesOf("ann").size());
        data.erase("ann");
        assertTrue(data.facesOf("ann").isEmpty() && data.negativesOf("ann").isEmpty());
        assertEquals(Map.of(), data.counts());
    }

    @Test
    void aRelabelledCropLeavesItsOldClassAndASnapshotDoesNotFollowLaterLabels() throws Exception {
        LabelledFaces data = new LabelledFaces(root.resolve("live"));
        data.add("ann", A);
        data.add("ann", B);
        data.relabel("bob", A);
        assertEquals(Map.of("ann", 1L, "bob", 1L), data.counts());
        data.notThisPerson("bob", C);
        LabelledFaces snapshot = data.copyTo(root.resolve("snapshot"));
        data.add("carl", C);
        assertEquals(Map.of("ann", 1L, "bob", 1L), snapshot.counts());
        assertEquals(1, snapshot.negativesOf("bob").size());
        assertEquals(Map.of("ann", 1L, "bob", 1L, "carl", 1L), data.counts());
    }

    @Test
    void identityIdsCannotEscapeTheFolder() throws Exception {
        LabelledFaces data = new LabelledFaces(root);
        assertThrows(IllegalArgumentException.class, () -> data.add("../etc", A));
        assertThrows(IllegalArgumentException.class, () -> data.add("a/b", A));
        assertThrows(IllegalArgumentException.class, () -> data.erase(".."));
    }
}
