package io.facestream.core.geometry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Greedy non-maximum suppression over scored boxes in MTCNN's inclusive-pixel convention (a box from
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
     * Returns the indices of the boxes to keep, best score first. A box is dropped when its overlap with
     * an already kept, higher-scoring box is at least {@code threshold}.
     */
    public static int[] select(List<BoundingBox> boxes, double[] scores, double threshold, Overlap overlap) {
        if (boxes.size() != scores.length) {
            throw new IllegalArgumentException(boxes.size() + " boxes but " + scores.length + " scores");
        }
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        boolean[] suppressed = new boolean[scores.length];
        List<Integer> kept = new ArrayList<>();
        for (int oi = 0; oi < order.length; oi++) {
            int i = order[oi];
            if (suppressed[i]) {
                continue;
            }
            kept.add(i);
            BoundingBox best = boxes.get(i);
            for (int oj = oi + 1; oj < order.length; oj++) {
                int j = order[oj];
                if (!suppressed[j] && overlap(best, boxes.get(j), overlap) >= threshold) {
                    suppressed[j] = true;
                }
            }
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
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
