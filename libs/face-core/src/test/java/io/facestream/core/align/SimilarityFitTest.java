package io.facestream.core.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.facestream.core.geometry.Landmarks5;
import io.facestream.core.geometry.Point2;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimilarityFitTest {

    @Test
    void recoversAnExactSimilarity() {
        // scale 2, rotation 90°, shift (10, 20): (x, y) -> (-2y + 10, 2x + 20)
        List<Point2> src = List.of(new Point2(0, 0), new Point2(1, 0), new Point2(0, 1));
        List<Point2> dst = List.of(new Point2(10, 20), new Point2(10, 22), new Point2(8, 20));
        SimilarityTransform t = SimilarityFit.estimate(src, dst);
        assertEquals(0, t.a(), 1e-12);
        assertEquals(2, t.b(), 1e-12);
        assertEquals(10, t.tx(), 1e-12);
        assertEquals(20, t.ty(), 1e-12);
        assertEquals(2, t.scale(), 1e-12);
    }

    @Test
    void leastSquaresSplitsTheErrorOfAnInconsistentPoint() {
        // Two points map to themselves; a pure translation error on a third symmetric pair averages out.
        List<Point2> src = List.of(new Point2(-1, 0), new Point2(1, 0));
        List<Point2> dst = List.of(new Point2(-1, 1), new Point2(1, 1));
        SimilarityTransform t = SimilarityFit.estimate(src, dst);
        assertEquals(1, t.a(), 1e-12);
        assertEquals(0, t.b(), 1e-12);
        assertEquals(0, t.tx(), 1e-12);
        assertEquals(1, t.ty(), 1e-12);
    }

    @Test
    void matchesTheReferenceMatrixOfRealSample1() {
        // Landmarks and matrix of face 0 from shared/models/golden/real_sample1/pipeline_summary.json
        // (the reference used skimage's Umeyama SimilarityTransform).
        Landmarks5 lm = new Landmarks5(List.of(new Point2(221, 230), new Point2(260, 229), new Point2(233, 255),
                new Point2(220, 271), new Point2(262, 269)));
        double[][] m = SimilarityFit.toArcFace(lm).matrix();
        assertEquals(0.8782979258552861, m[0][0], 1e-9);
        assertEquals(-0.015514501132435318, m[0][1], 1e-9);
        assertEquals(-150.17166698056965, m[0][2], 1e-6);
    }

    @Test
    void rejectsDegenerateInput() {
        List<Point2> same = List.of(new Point2(3, 3), new Point2(3, 3));
        assertThrows(IllegalArgumentException.class, () -> SimilarityFit.estimate(same, same));
        assertThrows(IllegalArgumentException.class,
                () -> SimilarityFit.estimate(List.of(new Point2(0, 0)), List.of(new Point2(0, 0))));
    }
}
