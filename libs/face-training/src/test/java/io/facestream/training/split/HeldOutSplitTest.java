package io.facestream.training.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class HeldOutSplitTest {

    private static List<Path> files(String id, int n) {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Path.of(id, String.format("%02d.png", i)));
        }
        return out;
    }

    private static Map<String, List<Path>> faces() {
        Map<String, List<Path>> m = new TreeMap<>();
        m.put("ten", files("ten", 10));
        m.put("three", files("three", 3));
        m.put("two", files("two", 2));
        m.put("one", files("one", 1));
        m.put("seven", files("seven", 7));
        return m;
    }

    @Test
    void holdsOutAFractionPerIdentityAndAtLeastOneFromThreeFacesOn() {
        HeldOutSplit split = HeldOutSplit.of(faces(), 0.3, 1);
        assertEquals(3, split.heldOut().get("ten").size(), "round(0.3 · 10)");
        assertEquals(7, split.training().get("ten").size());
        assertEquals(1, split.heldOut().get("three").size(), "round(0.9) = 1");
        assertEquals(2, split.heldOut().get("seven").size(), "round(2.1) = 2");
        assertFalse(split.heldOut().containsKey("two"), "fewer than 3 faces: all train");
        assertFalse(split.heldOut().containsKey("one"));
        assertEquals(2, split.training().get("two").size());
        assertEquals(List.of("seven", "ten", "three"), split.evaluatedIdentities());
        assertEquals(1, HeldOutSplit.heldOutCount(3, 0.01), "at least one");
        assertEquals(2, HeldOutSplit.heldOutCount(3, 0.99), "at most n − 1: an identity keeps a training face");
    }

    @Test
    void heldOutFacesNeverTrainAndNothingIsLost() {
        HeldOutSplit split = HeldOutSplit.of(faces(), 0.3, 5);
        faces().forEach((id, all) -> {
            Set<Path> train = new HashSet<>(split.training().getOrDefault(id, List.of()));
            Set<Path> held = new HashSet<>(split.heldOut().getOrDefault(id, List.of()));
            assertTrue(train.stream().noneMatch(held::contains), id + ": disjoint");
            Set<Path> union = new HashSet<>(train);
            union.addAll(held);
            assertEquals(new HashSet<>(all), union, id + ": every face is somewhere");
        });
    }

    @Test
    void isDeterministicForASeedWhateverTheInputOrder() {
        Map<String, List<Path>> reversed = new TreeMap<>();
        faces().forEach((id, list) -> {
            List<Path> r = new ArrayList<>(list);
            Collections.reverse(r);
            reversed.put(id, r);
        });
        assertEquals(HeldOutSplit.of(faces(), 0.3, 11), HeldOutSplit.of(reversed, 0.3, 11));
        boolean anyDifferent = false;
        for (long seed = 12; seed < 20 && !anyDifferent; seed++) {
            anyDifferent = !HeldOutSplit.of(faces(), 0.3, 11).heldOut().equals(
                    HeldOutSplit.of(faces(), 0.3, seed).heldOut());
        }
        assertTrue(anyDifferent, "another seed holds out other faces");
        assertNotEquals(0, HeldOutSplit.of(faces(), 0.3, 11).trainingCounts().get("ten"));
    }

    @Test
    void refusesAFractionOutsideTheUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> HeldOutSplit.of(faces(), 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> HeldOutSplit.of(faces(), -0.1, 1));
    }
}
