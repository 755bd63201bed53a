package io.facestream.core.geometry;

/** A point in image coordinates (x to the right, y down), in pixels. */
public record Point2(double x, double y) {

    public double distanceTo(Point2 other) {
        return Math.hypot(x - other.x, y - other.y);
    }
}
