package io.facestream.core.align;

import io.facestream.core.geometry.Landmarks5;
import io.facestream.core.geometry.Point2;
import java.util.List;

/**
 * Least-squares similarity fit between point sets (Umeyama 1991, restricted to proper rotations).
 *
 * <p>In two dimensions the optimum has a closed form: with both point sets centred on their means,
 * {@code a = Σ(x·y) / Σ|x|²} and {@code b = Σ(x × y) / Σ|x|²} (dot and cross products), which is the
 * same transform Umeyama's SVD solution yields. Unlike OpenCV's {@code estimateAffinePartial2D} it uses
 * every point, with no RANSAC or LMedS sampling.
 */
public final class SimilarityFit {

    private SimilarityFit() {
    }

    /** The transform mapping {@code landmarks} onto the ArcFace 112×112 template. */
    public static SimilarityTransform toArcFace(Landmarks5 landmarks) {
        return estimate(landmarks.points(), ArcFaceTemplate.LANDMARKS_112.points());
    }

    /**
     * @throws IllegalArgumentException when the sets differ in size, hold fewer than two points, or the
     *     source points all coincide (no scale can be fitted)
     */
    public static SimilarityTransform estimate(List<Point2> src, List<Point2> dst) {
        if (src.size() != dst.size() || src.size() < 2) {
            throw new IllegalArgumentException("need two equally sized point sets of at least 2 points, got "
                    + src.size() + " and " + dst.size());
        }
        int n = src.size();
        double sx = 0, sy = 0, dx = 0, dy = 0;
        for (int i = 0; i < n; i++) {
            sx += src.get(i).x();
            sy += src.get(i).y();
            dx += dst.get(i).x();
            dy += dst.get(i).y();
        }
        sx /= n;
        sy /= n;
        dx /= n;
        dy /= n;
        double norm = 0, dot = 0, cross = 0;
        for (int i = 0; i < n; i++) {
            double px = src.get(i).x() - sx, py = src.get(i).y() - sy;
            double qx = dst.get(i).x() - dx, qy = dst.get(i).y() - dy;
            norm += px * px + py * py;
            dot += px * qx + py * qy;
            cross += px * qy - py * qx;
        }
        if (!(norm > 1e-12)) {
            throw new IllegalArgumentException("source points coincide; no similarity transform exists");
        }
        double a = dot / norm;
        double b = cross / norm;
        double tx = dx - (a * sx - b * sy);
        double ty = dy - (b * sx + a * sy);
        return new SimilarityTransform(a, b, tx, ty);
    }
}
