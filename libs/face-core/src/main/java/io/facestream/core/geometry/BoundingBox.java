package io.facestream.core.geometry;

/**
 * An axis-aligned box with inclusive corners (x1, y1) and exclusive-ish corners (x2, y2) in pixels.
 * Width and height are {@code x2 - x1} and {@code y2 - y1}; MTCNN's "+1" pixel convention is applied by
 * the detector, not here.
 */
public record BoundingBox(double x1, double y1, double x2, double y2) {

    public BoundingBox {
        if (!(x2 >= x1 && y2 >= y1)) {
            throw new IllegalArgumentException("box corners out of order: " + x1 + "," + y1 + "," + x2 + "," + y2);
        }
    }

    public double width() {
        return x2 - x1;
    }

    public double height() {
        return y2 - y1;
    }

    public double area() {
        return width() * height();
    }

    /** Intersection over union; 0 for disjoint boxes or two empty boxes. */
    public double iou(BoundingBox other) {
        double inter = intersectionArea(other);
        double union = area() + other.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }

    public double intersectionArea(BoundingBox other) {
        double w = Math.min(x2, other.x2) - Math.max(x1, other.x1);
        double h = Math.min(y2, other.y2) - Math.max(y1, other.y1);
        return w <= 0 || h <= 0 ? 0 : w * h;
    }

    /** This box cut to the image rectangle [0, width] × [0, height]. */
    public BoundingBox clip(int imageWidth, int imageHeight) {
        double cx1 = clamp(x1, imageWidth);
        double cy1 = clamp(y1, imageHeight);
        return new BoundingBox(cx1, cy1, Math.max(cx1, clamp(x2, imageWidth)), Math.max(cy1, clamp(y2, imageHeight)));
    }

    private static double clamp(double v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
