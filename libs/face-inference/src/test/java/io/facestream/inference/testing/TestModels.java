package io.facestream.inference.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.opentest4j.AssertionFailedError;

/**
 * Locates the pre-trained {@code .tflite} files for tests: system property {@value #PROPERTY} (surefire sets
 * it), falling back to {@code <repo root>/models}. The Maven build fetches and verifies them before compiling
 * ({@code scripts/fetch-assets.sh models}), so a missing file is an error, not a skip.
 */
public final class TestModels {

    /** System property naming the model folder. */
    public static final String PROPERTY = "facestream.model.dir";

    private TestModels() {
    }

    /** The model folder (may not exist). */
    public static Path dir() {
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        return SharedData.RepoRoot.find().map(r -> r.resolve("models"))
                .orElse(Path.of("models").toAbsolutePath().normalize());
    }

    /** {@code dir().resolve(fileName)}, failing the test with instructions when it is missing. */
    public static Path require(String fileName) {
        Path p = dir().resolve(fileName);
        if (!Files.isRegularFile(p)) {
            throw new AssertionFailedError("Model file missing: " + p + ". Run scripts/fetch-assets.sh models or pass -D"
                    + PROPERTY + "=/path/to/models");
        }
        return p;
    }
}
