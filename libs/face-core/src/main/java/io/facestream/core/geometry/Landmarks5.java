package io.facestream.core.geometry;

import java.util.List;

/**
 * The five facial landmarks MTCNN predicts, in the order the ArcFace template uses: left eye, right eye,
 * nose tip, left mouth corner, right mouth corner ("left" = image left).
 */
public record Landmarks5(List<Point2> points) {

    public static final int COUNT = 5;

    public Landmarks5 {
        if (points == null || points.size() != COUNT) {
            throw new IllegalArgumentException("expected 5 landmarks, got " + (points == null ? null : points.size()));
        }
        points = List.copyOf(points);
    }

    public static Landmarks5 of(double[] xs, double[] ys) {
        if (xs.length != COUNT || ys.length != COUNT) {
            throw new IllegalArgumentException("expected 5 x and 5 y coordinates");
        }
        Point2[] p = new Point2[COUNT];
        for (int i = 0; i < COUNT; i++) {
            p[i] = new Point2(xs[i], ys[i]);
        }
        return new Landmarks5(List.of(p));
    }

    public Point2 get(int i) {
        return points.get(i);
    }

    /** Distance between the two eye centres, the usual normaliser for landmark errors. */
    public double interOcularDistance() {
        return points.get(0).distanceTo(points.get(1));
    }
}
