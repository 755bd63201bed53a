package io.facestream.search.history;

import java.util.Objects;

/**
 * One query embedding and the model version that produced it: it is compared only with faces of that version.
 *
 * @param vector L2-normalised
 */
public record QueryVector(String modelVersion, float[] vector) {

    public QueryVector {
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(vector, "vector");
    }
}
