package io.facestream.galleryindex.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FittedFacesTest {

    private static final int DIM = 32;

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * (double) b[i];
        }
        return s;
    }

    private static Map<String, List<float[]>> draw(SyntheticFaces faces, int people, int each, Random random) {
        Map<String, List<float[]>> out = new LinkedHashMap<>();
        float[][] centres = faces.centres(people);
        for (int p = 0; p < people; p++) {
            List<float[]> l = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                l.add(faces.sample(centres[p], random));
            }
            out.put("p" + p, l);
        }
        return out;
    }

    @Test
    void identitiesDrawnFromTheFitLookLikeThePeopleItWasFittedTo() {
        FaceLikeGallery source = FaceLikeGallery.defaults(DIM, 11);
        Map<String, List<float[]>> real = draw(source, 300, 6, new Random(1));
        Cosines want = Cosines.of(real);
        FittedFaces fitted = FittedFaces.fit(real, 5);
        Cosines got = Cosines.of(draw(fitted, 300, 6, new Random(2)));
        assertEquals(want.samePerson(), got.samePerson(), 0.03, "same-identity cosine");
        assertEquals(want.differentPeople(), got.differentPeople(), 0.03, "different-identity cosine");
        assertEquals(want.differentSpread(), got.differentSpread(), 0.03, "spread of different identities");
        // unit samples, and the same centres for the same seed
        float[] s = fitted.sample(fitted.centres(1)[0], new Random(3));
        assertEquals(1, dot(s, s), 1e-5);
        assertArrayEquals(fitted.centres(4)[3], FittedFaces.fit(real, 5).centres(4)[3]);
    }

    @Test
    void tooFewPeopleAreRefused() {
        Map<String, List<float[]>> two = draw(FaceLikeGallery.defaults(DIM, 1), 2, 3, new Random(1));
        two.put("alone", List.of(new float[DIM]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FittedFaces.fit(two, 1));
        assertEquals("need at least 3 people with 2 or more embeddings, got 2", e.getMessage());
    }
}
