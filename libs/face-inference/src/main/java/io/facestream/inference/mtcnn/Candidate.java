package io.facestream.inference.mtcnn;

import io.facestream.core.geometry.BoundingBox;

/**
 * A face candidate between MTCNN stages: a box in image pixels (inclusive corners, as MTCNN counts them),
 * the stage's score and its box regression (dx1, dy1, dx2, dy2) as fractions of the box size.
 */
record Candidate(BoundingBox box, double score, float[] regression) {

    /**
     * Applies the regression: each corner moves by its fraction of the box's width or height, and lands on
     * a whole pixel by truncation, as the reference pipeline does (its boxes are integer pixel boxes).
     */
    Candidate calibrated() {
        double w = box.width() + 1;
        double h = box.height() + 1;
        double x1 = (int) (box.x1() + w * regression[0]);
        double y1 = (int) (box.y1() + h * regression[1]);
        double x2 = (int) (box.x2() + w * regression[2]);
        double y2 = (int) (box.y2() + h * regression[3]);
        return new Candidate(new BoundingBox(x1, y1, Math.max(x1, x2), Math.max(y1, y2)), score, regression);
    }

    /**
     * The square on the longer side: the shorter side grows by {@code d/2} pixels before and
     * {@code (d+1)/2} after (integer division). RNet and ONet look at square crops.
     */
    Candidate squared() {
        int w = (int) (box.width() + 1);
        int h = (int) (box.height() + 1);
        int d = Math.abs(w - h);
        double x1 = box.x1(), y1 = box.y1(), x2 = box.x2(), y2 = box.y2();
        if (w > h) {
            y1 -= d / 2;
            y2 += (d + 1) / 2;
        } else {
            x1 -= d / 2;
            x2 += (d + 1) / 2;
        }
        return new Candidate(new BoundingBox(x1, y1, x2, y2), score, regression);
    }

    Candidate withStage(double newScore, float[] newRegression) {
        return new Candidate(box, newScore, newRegression);
    }
}
