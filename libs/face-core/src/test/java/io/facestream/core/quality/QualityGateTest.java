package io.facestream.core.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class QualityGateTest {

    private static final QualityGate ENROLLMENT = new QualityGate(48, 40.0, 0.5, 0.3);

    @Test
    void namesTheFirstFailingCheck() {
        assertEquals(Optional.of("face too small: 22x28 px, minimum 48"),
                ENROLLMENT.refusal(new FaceQuality(0.9, 22, 28, 12.3, 0.1)), "size is checked first");
        assertEquals(Optional.of("face too blurred: sharpness 12.3, minimum 40.0"),
                ENROLLMENT.refusal(new FaceQuality(0.9, 60, 70, 12.3, 0.1)));
        assertEquals(Optional.of("face turned away: frontality 0.31, minimum 0.50"),
                ENROLLMENT.refusal(new FaceQuality(0.9, 60, 70, 120, 0.31)));
        assertEquals(Optional.of("face quality too low: score 0.21, minimum 0.30"),
                ENROLLMENT.refusal(new FaceQuality(0.21, 60, 70, 120, 0.9)));
    }

    @Test
    void passesAFaceAtTheThresholds() {
        assertTrue(ENROLLMENT.passes(new FaceQuality(0.3, 48, 60, 40.0, 0.5)));
        assertTrue(QualityGate.OPEN.passes(new FaceQuality(0, 0, 0, 0, 0)));
    }

    @Test
    void refusesNonsenseThresholds() {
        assertThrows(IllegalArgumentException.class, () -> new QualityGate(-1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new QualityGate(0, 0, 1.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new QualityGate(0, Double.NaN, 0, 0));
    }
}
