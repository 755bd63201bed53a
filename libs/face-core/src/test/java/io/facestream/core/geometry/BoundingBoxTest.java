package io.facestream.core.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BoundingBoxTest {

    @Test
    void iouAndClipByHand() {
        BoundingBox a = new BoundingBox(0, 0, 10, 10);
        BoundingBox b = new BoundingBox(5, 5, 15, 15);
        assertEquals(25.0 / 175.0, a.iou(b), 1e-12);
        assertEquals(new BoundingBox(5, 5, 8, 8), b.clip(8, 8));
        assertEquals(new BoundingBox(0, 0, 0, 0), new BoundingBox(-9, -9, -1, -1).clip(8, 8));
    }

    @Test
    void rejectsInvertedCorners() {
        assertThrows(IllegalArgumentException.class, () -> new BoundingBox(5, 0, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new BoundingBox(0, 0, Double.NaN, 1));
    }
}
