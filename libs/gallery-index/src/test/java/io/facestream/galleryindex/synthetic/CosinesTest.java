package io.facestream.galleryindex.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CosinesTest {

    @Test
    void twoPeopleByHand() {
        // one pair of one person: 0.6; two pairs of different people: 0 and 0.8, mean 0.4, spread 0.4
        Cosines c = Cosines.of(Map.of("a", List.of(new float[] {1, 0}, new float[] {0.6f, 0.8f}),
                "b", List.of(new float[] {0, 1})));
        assertEquals(0.6, c.samePerson(), 1e-6);
        assertEquals(0.4, c.differentPeople(), 1e-6);
        assertEquals(0.4, c.differentSpread(), 1e-6);
        assertEquals("same person 0.600, different people 0.400 ± 0.400", c.toString());
    }

    @Test
    void onePersonAloneSaysWhatIsMissing() {
        assertThrows(IllegalArgumentException.class,
                () -> Cosines.of(Map.of("a", List.of(new float[] {1, 0}, new float[] {0, 1}))));
    }
}
