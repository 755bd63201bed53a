package io.facestream.core.geometry;

import java.util.Arrays;
import java.util.Comparator;
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
        if (!(threshold > 0 && threshold <= 1)) {
            // At 0 disjoint boxes would count as overlapping, and the sweep below skips them.
            throw new IllegalArgumentException("overlap threshold must be in (0, 1], got " + threshold);
        }
        int n = scores.length;
        // For one box i, each later box j is judged on its own (only i and j can be deleted by that comparison), so
        // the order of the j's does not matter and boxes that cannot intersect i can be skipped: a sweep over the
        // boxes sorted by x1 visits only those whose x range can meet i's. Same result as every pair, without the
        // n² cost PNet's thousands of cells on a busy frame would otherwise pay.
        double maxWidth = 0;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            maxWidth = Math.max(maxWidth, boxes.get(i).width());
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> boxes.get(i).x1()));
        double[] sortedX1 = new double[n];
        for (int k = 0; k < n; k++) {
            sortedX1[k] = boxes.get(order[k]).x1();
        }
        boolean[] deleted = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (deleted[i]) {
                continue;
            }
            BoundingBox a = boxes.get(i);
            // Boxes intersect (inclusive pixels) only when x1_j < x2_i + 1 and x2_j > x1_i - 1.
            for (int k = firstAtLeast(sortedX1, a.x1() - maxWidth - 1); k < n && sortedX1[k] < a.x2() + 1; k++) {
                int j = order[k];
                if (j > i && !deleted[j] && overlap(a, boxes.get(j), overlap) >= threshold) {
                    if (scores[i] > scores[j]) {
                        deleted[j] = true;
                    } else {
                        deleted[i] = true;
                    }
                }
            }
        }
        return IntStream.range(0, n).filter(i -> !deleted[i]).toArray();
    }

    /** The first index whose value is at least {@code value} in an ascending array. */
    private static int firstAtLeast(double[] sorted, double value) {
        int lo = 0, hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
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
