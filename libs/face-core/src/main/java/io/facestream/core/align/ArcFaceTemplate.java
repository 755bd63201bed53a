package io.facestream.core.align;

import io.facestream.core.geometry.Landmarks5;
import io.facestream.core.geometry.Point2;
import java.util.List;

/** The ArcFace reference positions of the five landmarks in a 112×112 aligned face crop. */
public final class ArcFaceTemplate {

    public static final int SIZE = 112;

    public static final Landmarks5 LANDMARKS_112 = new Landmarks5(List.of(
            new Point2(38.2946, 51.6963),
            new Point2(73.5318, 51.5014),
            new Point2(56.0252, 71.7366),
            new Point2(41.5493, 92.3655),
            new Point2(70.7299, 92.2041)));

    private ArcFaceTemplate() {
    }
}
