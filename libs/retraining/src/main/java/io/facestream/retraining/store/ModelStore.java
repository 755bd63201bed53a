package io.facestream.retraining.store;

import io.facestream.pipeline.model.ActiveModelFollower;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Model artifacts on disk: {@code <root>/<model>/<version>/model.params} with the evaluation report beside it
 * (report.json, report.md, the curves and the confusion matrix). A version is written to a temporary folder
 * and moved into place whole, so a reader never sees half an artifact; its SHA-256 is what the {@code models}
 * topic announces and every loader checks.
 */
public final class ModelStore {

    /** File name of the parameter file inside a version's folder. */
    public static final String PARAMETERS = "model.params";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final List<String> REPORT_FILES = List.of(".json", ".md", ".png");

    private final Path root;

    public ModelStore(Path root) throws IOException {
        // Absolute and without . or .. segments: the artifact URIs derive from it, and loaders refuse any
        // URI with such a segment (TrustedModelStore).
        this.root = Files.createDirectories(root.toAbsolutePath().normalize());
    }

    /** One stored version. */
    public record StoredModel(String modelName, String version, Path directory, Path artifact, String sha256) {

        public String artifactUri() {
            return artifact.toUri().toString();
        }
    }

    /**
     * Stores a parameter file and the report files found in {@code reportDir} as a new version.
     *
     * @throws IllegalStateException when the version exists already (versions are immutable)
     */
    public StoredModel put(String modelName, String version, Path parameters, Path reportDir) throws IOException {
        Path target = root.resolve(checked(modelName)).resolve(checked(version));
        if (Files.exists(target)) {
            throw new IllegalStateException("model " + modelName + " version " + version + " exists already");
        }
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempDirectory(target.getParent(), "." + version + "-");
        Files.copy(parameters, tmp.resolve(PARAMETERS));
        if (reportDir != null && Files.isDirectory(reportDir)) {
            try (Stream<Path> files = Files.list(reportDir)) {
                for (Path f : files.filter(Files::isRegularFile).filter(ModelStore::isReport).toList()) {
                    Files.copy(f, tmp.resolve(f.getFileName()));
                }
            }
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        Path artifact = target.resolve(PARAMETERS);
        return new StoredModel(modelName, version, target, artifact, ActiveModelFollower.sha256(artifact));
    }

    /** Writes an extra text file (e.g. the gate's decision) into a stored version's folder. */
    public void annotate(StoredModel model, String fileName, String text) throws IOException {
        Path tmp = Files.writeString(model.directory().resolve("." + checked(fileName) + ".tmp"), text);
        Files.move(tmp, model.directory().resolve(fileName), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** The folder of a stored version (for serving its report files), if it exists. */
    public Path directory(String modelName, String version) {
        return root.resolve(checked(modelName)).resolve(checked(version));
    }

    private static boolean isReport(Path f) {
        String name = f.getFileName().toString();
        return REPORT_FILES.stream().anyMatch(name::endsWith);
    }

    private static String checked(String name) {
        if (name == null || !SAFE.matcher(name).matches() || name.startsWith(".")) {
            throw new IllegalArgumentException("not a usable model name or version: " + name);
        }
        return name;
    }
}
