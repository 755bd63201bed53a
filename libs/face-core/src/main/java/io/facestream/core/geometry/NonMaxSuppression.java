package io.facestream.core.geometry;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Non-maximum suppression over scored boxes in MTCNN's inclusive-pixel convention (a box from
 * x1 to x2 covers {@code x2 − x1 + 1} pixels). OpenCV's {@code NMSBoxes} only knows the union overlap,
 * and ONet needs the "min" overlap too, hence this small implementation.
 */
public final class NonMaxSuppression {

    /** How the overlap of two boxes is normalised. */
    public enum Overlap {
        /** intersection / union (IoU). */
        UNION,
        /** intersection / the smaller box's area: suppresses boxes nested inside a better one. */
        MIN
    }

    private NonMaxSuppression() {
    }

    /**
     * Returns the indices of the boxes to keep, in list order. Boxes are visited in list order and of every
     * overlapping pair (overlap ≥ {@code threshold}) the lower-scoring box is dropped (a dropped box still takes part in
     * later pairs). This is the mobile MTCNN port's variant, kept because the reference accuracy figures
     * were measured with it: it thins chains of overlapping boxes more than score-sorted greedy NMS.
     */
    public static int[] select(List<BoundingBox> boxes, double[] scores, double threshold, Overlap overlap) {
        if (boxes.size() != scores.length) {
            throw new IllegalArgumentException(boxes.size() + " boxes but " + scores.length + " scores");
        }
        boolean[] deleted = new boolean[scores.length];
        for (int i = 0; i < scores.length; i++) {
            if (deleted[i]) {
                continue;
            }
            for (int j = i + 1; j < scores.length; j++) {
                if (!deleted[j] && overlap(boxes.get(i), boxes.get(j), overlap) >= threshold) {
                    if (scores[i] > scores[j]) {
                        deleted[j] = true;
                    } else {
                        deleted[i] = true;
                    }
                }
            }
        }
        return IntStream.range(0, scores.length).filter(i -> !deleted[i]).toArray();
    }

    static double overlap(BoundingBox a, BoundingBox b, Overlap mode) {
        double w = Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1()) + 1;
        double h = Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1()) + 1;
        if (w <= 0 || h <= 0) {
            return 0;
        }
        double inter = w * h;
        double areaA = (a.width() + 1) * (a.height() + 1);
        double areaB = (b.width() + 1) * (b.height() + 1);
        return mode == Overlap.UNION ? inter / (areaA + areaB - inter) : inter / Math.min(areaA, areaB);
    }
}
