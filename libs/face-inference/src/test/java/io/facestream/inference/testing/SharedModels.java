package io.facestream.inference.testing;

import io.facestream.inference.model.FaceModels;
import io.facestream.inference.model.ModelDirectory;

/** One {@link FaceModels} for the whole test JVM: loading takes a second and the weights never change. */
public final class SharedModels {

    private static FaceModels models;

    private SharedModels() {
    }

    public static synchronized FaceModels get() {
        if (models == null) {
            models = FaceModels.load(ModelDirectory.open(TestModels.dir()));
        }
        return models;
    }
}
