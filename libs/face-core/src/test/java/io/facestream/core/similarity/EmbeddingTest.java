package io.facestream.core.similarity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EmbeddingTest {

    @Test
    void normalisesAndComparesByCosine() {
        Embedding a = Embedding.normalise(new float[] {3, 4});
        Embedding b = Embedding.normalise(new float[] {4, 3});
        assertEquals(0.6f, a.toArray()[0], 1e-7);
        assertEquals(24.0 / 25.0, a.cosine(b), 1e-7);
        assertEquals(24.0 / 25.0, VectorSimilarity.COSINE.compare(new float[] {3, 4}, new float[] {4, 3}), 1e-12);
    }

    @Test
    void rejectsVectorsThatCannotBeEmbeddings() {
        assertThrows(IllegalArgumentException.class, () -> Embedding.normalise(new float[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> Embedding.normalise(new float[] {1, Float.NaN}));
        assertThrows(IllegalArgumentException.class,
                () -> VectorSimilarity.DOT_PRODUCT.compare(new float[2], new float[3]));
    }
}
