package io.facestream.core.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.geometry.BoundingBox;
import io.facestream.core.geometry.Landmarks5;
import io.facestream.core.geometry.Point2;
import java.util.List;
import org.junit.jupiter.api.Test;

class QualityScorerTest {

    /** Round numbers, so every expected value below can be worked out by hand. */
    private static final QualityScorer SCORER = new QualityScorer(new QualityConfig(16, 80, 200, 0.5, 60, 0.5, 0.35));
    private static final BoundingBox BOX = new BoundingBox(20, 20, 100, 120);

    /** Eyes 40 px apart on a level line, nose centred halfway down to the mouth: a frontal face. */
    private static Landmarks5 frontal() {
        return Landmarks5.of(new double[] {40, 80, 60, 45, 75}, new double[] {50, 50, 70, 90, 90});
    }

    @Test
    void aFrontalSharpLargeFaceScoresItsDetectionScore() {
        QualityScorer.Assessment a = SCORER.assess(BOX, frontal(), 0.99, 200);
        Pose pose = a.parts().pose().orElseThrow();
        assertEquals(0.0, pose.yawOffset(), 1e-12);
        assertEquals(0.0, pose.rollDegrees(), 1e-12);
        assertEquals(0.5, pose.pitchRatio(), 1e-12, "nose 20 px below the eyes, mouth 40 px");
        assertEquals(1.0, a.quality().frontality(), 1e-12);
        assertEquals(1.0, a.parts().size(), 1e-12, "smaller side 80 px = fullSizePx");
        assertEquals(1.0, a.parts().sharpness(), 1e-12);
        assertEquals(Math.pow(0.99, 0.25), a.quality().score(), 1e-12, "geometric mean of 1, 1, 1, 0.99");
        assertEquals(80, a.quality().widthPx());
        assertEquals(100, a.quality().heightPx());
    }

    @Test
    void aProfileHasNoFrontalityAndNoScore() {
        // Eyes 10 px apart, nose 7 px left of their midpoint: in front of (beyond) the left eye.
        Landmarks5 profile = Landmarks5.of(new double[] {40, 50, 38, 42, 50}, new double[] {50, 50, 70, 90, 90});
        QualityScorer.Assessment a = SCORER.assess(BOX, profile, 0.99, 200);
        assertEquals(-0.7, a.parts().pose().orElseThrow().yawOffset(), 1e-12);
        assertEquals(0.0, a.quality().frontality(), 1e-12);
        assertEquals(0.0, a.quality().score(), 1e-12);
    }

    @Test
    void halfTurnedTiltedAndRolledFacesLoseFrontalityLinearly() {
        // Nose 10 px left of the eye midpoint = a quarter of the inter-ocular distance: yaw factor 1 − 0.25/0.5.
        Landmarks5 turned = Landmarks5.of(new double[] {40, 80, 50, 45, 75}, new double[] {50, 50, 70, 90, 90});
        assertEquals(0.5, SCORER.assess(BOX, turned, 1, 200).quality().frontality(), 1e-12);
        // Nose 30 of 40 px down to the mouth: pitch ratio 0.75, factor 1 − 0.25/0.35.
        Landmarks5 down = Landmarks5.of(new double[] {40, 80, 60, 45, 75}, new double[] {50, 50, 80, 90, 90});
        assertEquals(1 - 0.25 / 0.35, SCORER.assess(BOX, down, 1, 200).quality().frontality(), 1e-12);
        // The frontal face turned 30° clockwise about the nose: roll factor 1 − 30/60, yaw and pitch unchanged.
        Landmarks5 rolled = rotate(frontal(), 60, 70, 30);
        QualityScorer.Assessment r = SCORER.assess(BOX, rolled, 1, 200);
        assertEquals(30.0, r.parts().pose().orElseThrow().rollDegrees(), 1e-9);
        assertEquals(0.5, r.quality().frontality(), 1e-9);
    }

    @Test
    void aTinyFaceScoresLowOnSize() {
        BoundingBox tiny = new BoundingBox(10, 10, 32, 38);
        Landmarks5 small = Landmarks5.of(new double[] {16, 26, 21, 17, 25}, new double[] {20, 20, 25, 30, 30});
        QualityScorer.Assessment a = SCORER.assess(tiny, small, 0.99, 200);
        assertEquals(22, a.quality().widthPx());
        assertEquals(28, a.quality().heightPx());
        assertEquals((22.0 - 16) / (80 - 16), a.parts().size(), 1e-12);
        assertTrue(a.quality().score() < 0.6, "score " + a.quality().score());
    }

    @Test
    void sharpnessRampsFromFlatToFull() {
        assertEquals(0.0, SCORER.assess(BOX, frontal(), 1, 0).parts().sharpness(), 1e-12);
        assertEquals(0.25, SCORER.assess(BOX, frontal(), 1, 50).parts().sharpness(), 1e-12);
        assertEquals(1.0, SCORER.assess(BOX, frontal(), 1, 5000).parts().sharpness(), 1e-12);
    }

    @Test
    void landmarksThatDescribeNoFaceHaveNoPose() {
        Landmarks5 sameEyes = Landmarks5.of(new double[] {40, 40, 60, 45, 75}, new double[] {50, 50, 70, 90, 90});
        assertTrue(Pose.of(sameEyes).isEmpty());
        Landmarks5 mouthOnEyeLine = Landmarks5.of(new double[] {40, 80, 60, 45, 75}, new double[] {50, 50, 70, 50, 50});
        assertTrue(Pose.of(mouthOnEyeLine).isEmpty());
        assertEquals(0.0, SCORER.assess(BOX, sameEyes, 1, 200).quality().frontality());
    }

    @Test
    void theDefaultsTakeMtcnnsLevelFaceAsFrontal() {
        // MTCNN puts the nose 55 % of the way from the eyes to the mouth on a level face.
        Landmarks5 mtcnnLevel = Landmarks5.of(new double[] {40, 80, 60, 45, 75}, new double[] {50, 50, 72, 90, 90});
        QualityScorer defaults = new QualityScorer(QualityConfig.DEFAULT);
        assertEquals(1.0, defaults.assess(BOX, mtcnnLevel, 1, 200).quality().frontality(), 1e-12);
        // 15° of roll, which alignment undoes anyway, costs a sixth of the roll factor.
        assertEquals(1 - 15.0 / 90, defaults.assess(BOX, rotate(mtcnnLevel, 60, 72, 15), 1, 200).quality()
                .frontality(), 1e-9);
    }

    private static Landmarks5 rotate(Landmarks5 l, double cx, double cy, double degrees) {
        double c = Math.cos(Math.toRadians(degrees));
        double s = Math.sin(Math.toRadians(degrees));
        return new Landmarks5(l.points().stream().map(p -> new Point2(cx + (p.x() - cx) * c - (p.y() - cy) * s,
                cy + (p.x() - cx) * s + (p.y() - cy) * c)).toList());
    }
}
