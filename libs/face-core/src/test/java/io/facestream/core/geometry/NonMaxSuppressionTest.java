package io.facestream.core.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.facestream.core.geometry.NonMaxSuppression.Overlap;
import java.util.List;
import org.junit.jupiter.api.Test;

class NonMaxSuppressionTest {

    private final BoundingBox a = new BoundingBox(0, 0, 9, 9);     // 10×10 pixels
    private final BoundingBox b = new BoundingBox(5, 0, 14, 9);    // overlaps a by 5×10
    private final BoundingBox inner = new BoundingBox(2, 2, 5, 5); // 4×4, inside a
    private final BoundingBox far = new BoundingBox(50, 50, 59, 59);

    @Test
    void overlapValuesByHand() {
        assertEquals(50.0 / 150.0, NonMaxSuppression.overlap(a, b, Overlap.UNION), 1e-12);
        assertEquals(16.0 / 100.0, NonMaxSuppression.overlap(a, inner, Overlap.UNION), 1e-12);
        assertEquals(1.0, NonMaxSuppression.overlap(a, inner, Overlap.MIN), 1e-12);
        assertEquals(0.0, NonMaxSuppression.overlap(a, far, Overlap.UNION), 1e-12);
    }

    @Test
    void dropsTheLowerScoringBoxOfEachOverlappingPair() {
        List<BoundingBox> boxes = List.of(a, b, inner, far);
        double[] scores = {0.8, 0.9, 0.7, 0.95};
        // IoU(a,b) = 1/3: below 0.5 all survive; the nested box survives "union" but not "min".
        assertArrayEquals(new int[] {0, 1, 2, 3}, NonMaxSuppression.select(boxes, scores, 0.5, Overlap.UNION));
        assertArrayEquals(new int[] {0, 1, 3}, NonMaxSuppression.select(boxes, scores, 0.7, Overlap.MIN));
        assertArrayEquals(new int[] {1, 2, 3}, NonMaxSuppression.select(boxes, scores, 0.3, Overlap.UNION));
    }

    @Test
    void aDroppedBoxStillSuppressesLaterOnes() {
        // x overlaps y and z (IoU 1/3 each), y and z are disjoint. x loses to y, then still beats z.
        BoundingBox x = new BoundingBox(0, 0, 9, 9);
        BoundingBox y = new BoundingBox(5, 0, 14, 9);
        BoundingBox z = new BoundingBox(-5, 0, 4, 9);
        assertArrayEquals(new int[] {1},
                NonMaxSuppression.select(List.of(x, y, z), new double[] {0.7, 0.9, 0.6}, 0.3, Overlap.UNION));
    }

    /**
     * The sweep over x-sorted boxes must keep exactly what comparing every pair keeps: random boxes of mixed sizes
     * (PNet cells of several pyramid levels, fractional corners too), clustered so that many pairs overlap.
     */
    @Test
    void sweepKeepsExactlyWhatEveryPairKeeps() {
        java.util.Random random = new java.util.Random(42);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(400);
            List<BoundingBox> boxes = new java.util.ArrayList<>();
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                double side = 12 + random.nextInt(60) + (trial % 2 == 0 ? 0 : random.nextDouble());
                double x = random.nextInt(200) + (trial % 3 == 0 ? random.nextDouble() : 0);
                double y = random.nextInt(150);
                boxes.add(new BoundingBox(x, y, x + side, y + side * (0.8 + 0.4 * random.nextDouble())));
                scores[i] = random.nextInt(20) / 20.0; // ties on purpose
            }
            for (Overlap mode : Overlap.values()) {
                for (double t : new double[] {0.3, 0.5, 0.7}) {
                    assertArrayEquals(everyPair(boxes, scores, t, mode), NonMaxSuppression.select(boxes, scores, t, mode),
                            "trial " + trial + " " + mode + " " + t);
                }
            }
        }
    }

    @Test
    void refusesAThresholdOutsideZeroToOne() {
        List<BoundingBox> boxes = List.of(a, far);
        double[] scores = {0.9, 0.8};
        for (double t : new double[] {0, -0.1, 1.5, Double.NaN}) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> NonMaxSuppression.select(boxes, scores, t, Overlap.UNION), "threshold " + t);
        }
    }

    /** The plain O(n²) definition, as it was before the sweep. */
    private static int[] everyPair(List<BoundingBox> boxes, double[] scores, double threshold, Overlap overlap) {
        boolean[] deleted = new boolean[scores.length];
        for (int i = 0; i < scores.length; i++) {
            if (deleted[i]) {
                continue;
            }
            for (int j = i + 1; j < scores.length; j++) {
                if (!deleted[j] && NonMaxSuppression.overlap(boxes.get(i), boxes.get(j), overlap) >= threshold) {
                    if (scores[i] > scores[j]) {
                        deleted[j] = true;
                    } else {
                        deleted[i] = true;
                    }
                }
            }
        }
        return java.util.stream.IntStream.range(0, scores.length).filter(i -> !deleted[i]).toArray();
    }
}
