package io.facestream.core.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GalleryLedgerTest {

    private static final GalleryKey ANN_1 = GalleryKey.of("ann", "s1");
    private static final GalleryKey ANN_2 = GalleryKey.of("ann", "s2");
    private static final GalleryKey BOB_1 = GalleryKey.of("bob", "s1");

    @Test
    void aPutReplacesAndATombstoneRemoves() {
        GalleryLedger<String> ledger = new GalleryLedger<>();
        assertTrue(ledger.put(ANN_1, "v0"));
        assertTrue(ledger.put(ANN_1, "v1"));
        ledger.put(ANN_2, "v1");
        ledger.put(BOB_1, "v1");
        assertEquals(Set.of(ANN_1, ANN_2), ledger.keys("ann"));
        assertEquals(Map.of(ANN_1, "v1", ANN_2, "v1", BOB_1, "v1"), ledger.samples());

        assertEquals(Optional.of("v1"), ledger.remove(ANN_1));
        assertEquals(Optional.empty(), ledger.remove(ANN_1), "a tombstone twice is harmless");
        assertEquals(Set.of(ANN_2), ledger.keys("ann"));
        ledger.remove(ANN_2);
        assertEquals(Set.of(), ledger.keys("ann"));
    }

    @Test
    void anErasureWinsInEitherReplayOrder() {
        // Samples read before the identity's tombstone...
        GalleryLedger<String> first = new GalleryLedger<>();
        first.put(ANN_1, "v0");
        first.put(BOB_1, "v0");
        assertEquals(List.of("v0"), first.erase("ann"));
        assertEquals(Set.of(), first.keys("ann"));
        // ...and after it: refused, also when it comes back on a replay.
        assertFalse(first.put(ANN_2, "v0"));
        assertTrue(first.isErased("ann"));
        assertEquals(Map.of(BOB_1, "v0"), first.samples());

        GalleryLedger<String> tombstoneFirst = new GalleryLedger<>();
        assertEquals(List.of(), tombstoneFirst.erase("ann"));
        assertFalse(tombstoneFirst.put(ANN_1, "v0"));
        assertEquals(List.of(), tombstoneFirst.values());
    }
}
