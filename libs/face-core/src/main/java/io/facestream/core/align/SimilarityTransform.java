package io.facestream.core.align;

import io.facestream.core.geometry.Point2;

/**
 * A 2-D similarity transform (rotation, uniform scale, translation):
 * <pre>
 *   x' = a·x − b·y + tx
 *   y' = b·x + a·y + ty
 * </pre>
 * with scale {@code hypot(a, b)} and rotation {@code atan2(b, a)}.
 */
public record SimilarityTransform(double a, double b, double tx, double ty) {

    public Point2 apply(Point2 p) {
        return new Point2(a * p.x() - b * p.y() + tx, b * p.x() + a * p.y() + ty);
    }

    public double scale() {
        return Math.hypot(a, b);
    }

    /** The row-major 2×3 affine matrix, as OpenCV's warpAffine takes it. */
    public double[][] matrix() {
        return new double[][] {{a, -b, tx}, {b, a, ty}};
    }
}
