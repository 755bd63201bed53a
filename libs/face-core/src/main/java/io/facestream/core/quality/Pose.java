package io.facestream.core.quality;

import io.facestream.core.geometry.Landmarks5;
import io.facestream.core.geometry.Point2;
import java.util.Optional;

/**
 * Head pose read off the five landmarks, without a 3-D model: cheap, and good enough to tell a frontal face
 * from a turned or tilted one.
 *
 * @param yawOffset   signed offset of the nose from the eye midpoint, along the eye line, in inter-ocular
 *                    distances: 0 frontal, ±0.5 when the nose sits in front of one eye (a near-profile)
 * @param rollDegrees angle of the eye line against the image x axis, degrees (positive: clockwise in the image)
 * @param pitchRatio  where the nose sits between the eye midpoint (0) and the mouth midpoint (1), measured
 *                    perpendicular to the eye line; about 0.5 for a level face (the ArcFace template: 0.495),
 *                    lower when the head tilts up, higher when it tilts down
 */
public record Pose(double yawOffset, double rollDegrees, double pitchRatio) {

    /** The pose, or empty when the eyes coincide or the mouth is not below the eye line (no face's landmarks). */
    public static Optional<Pose> of(Landmarks5 l) {
        Point2 leftEye = l.get(0);
        Point2 rightEye = l.get(1);
        Point2 nose = l.get(2);
        double ex = rightEye.x() - leftEye.x();
        double ey = rightEye.y() - leftEye.y();
        double iod = Math.hypot(ex, ey);
        if (!(iod > 0)) {
            return Optional.empty();
        }
        // Unit vector along the eye line and its perpendicular pointing down the face (towards the mouth).
        double ux = ex / iod;
        double uy = ey / iod;
        double px = -uy;
        double py = ux;
        double mx = (leftEye.x() + rightEye.x()) / 2;
        double my = (leftEye.y() + rightEye.y()) / 2;
        double noseAlong = (nose.x() - mx) * ux + (nose.y() - my) * uy;
        double noseDown = (nose.x() - mx) * px + (nose.y() - my) * py;
        double mouthX = (l.get(3).x() + l.get(4).x()) / 2;
        double mouthY = (l.get(3).y() + l.get(4).y()) / 2;
        double mouthDown = (mouthX - mx) * px + (mouthY - my) * py;
        if (!(mouthDown > 0)) {
            return Optional.empty();
        }
        return Optional.of(new Pose(noseAlong / iod, Math.toDegrees(Math.atan2(ey, ex)), noseDown / mouthDown));
    }
}
