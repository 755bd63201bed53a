package io.facestream.inference.analysis;

import io.facestream.core.align.SimilarityTransform;
import io.facestream.core.geometry.BoundingBox;
import io.facestream.core.geometry.DetectedFace;
import io.facestream.core.geometry.Landmarks5;
import io.facestream.core.geometry.Point2;
import io.facestream.core.similarity.Embedding;

/** A detected face, the alignment that was applied and its embedding. */
public record AnalyzedFace(DetectedFace face, SimilarityTransform alignment, Embedding embedding) {

    /** The same face in coordinates moved by (dx, dy), e.g. from a padded copy back to the original. */
    AnalyzedFace shifted(double dx, double dy) {
        BoundingBox b = face.box();
        Landmarks5 l = new Landmarks5(face.landmarks().points().stream()
                .map(p -> new Point2(p.x() + dx, p.y() + dy)).toList());
        DetectedFace moved = new DetectedFace(new BoundingBox(b.x1() + dx, b.y1() + dy, b.x2() + dx, b.y2() + dy),
                face.score(), l);
        // x' = a·(x − dx) − b·(y − dy) + tx: the transform now reads original-image coordinates.
        SimilarityTransform t = alignment;
        SimilarityTransform inOriginal = new SimilarityTransform(t.a(), t.b(), t.tx() - t.a() * dx + t.b() * dy,
                t.ty() - t.b() * dx - t.a() * dy);
        return new AnalyzedFace(moved, inOriginal, embedding);
    }
}
