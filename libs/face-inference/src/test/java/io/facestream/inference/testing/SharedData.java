package io.facestream.inference.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Locates the read-only shared reference material ({@code shared/}: golden tensors, dev faces) for tests.
 *
 * <p>Lookup: system property {@value #PROPERTY} when set (surefire sets it to {@code <repo>/../shared}); only when
 * it is unset (e.g. an IDE run), {@code ../shared} relative to the repository root found by walking up from the
 * working directory (the directory holding the {@code facestream-parent} pom, else the nearest {@code .git}). A test
 * that needs the folder calls {@link #require(String)}: when the material is absent the test is <em>skipped</em>
 * with a reason, except on CI (environment {@code CI=true}) where a missing folder is a configuration error and
 * the test <em>fails</em>.
 */
public final class SharedData {

    /** System property naming the shared folder. */
    public static final String PROPERTY = "facestream.shared.dir";

    private SharedData() {
    }

    /** The shared folder, when it exists. */
    public static Optional<Path> root() {
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            // An explicit setting is authoritative: no silent fallback when it points nowhere.
            return Optional.of(Path.of(prop).toAbsolutePath().normalize()).filter(Files::isDirectory);
        }
        return RepoRoot.find().map(r -> r.resolve("..").resolve("shared").normalize()).filter(Files::isDirectory);
    }

    /**
     * Resolves {@code relative} inside the shared folder and checks that it exists. Skips the calling test
     * (JUnit assumption) when it does not, or fails it when {@code CI=true}.
     */
    public static Path require(String relative) {
        Optional<Path> root = root();
        Path p = root.map(r -> r.resolve(relative).normalize()).orElse(null);
        if (p != null && Files.exists(p)) {
            return p;
        }
        String where = root.map(r -> "'" + relative + "' is missing in " + r)
                .orElse("the shared folder was not found (system property " + PROPERTY + "="
                        + System.getProperty(PROPERTY) + "; when unset: <repo root>/../shared)");
        return missing(where, isCi());
    }

    /** True when the environment variable {@code CI} is {@code true} (any case). */
    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * What {@link #require} does when data is missing: throws {@link TestAbortedException} (the test is reported as
     * skipped with the reason), or {@link AssertionFailedError} when {@code ci}. Never returns normally.
     */
    static <T> T missing(String where, boolean ci) {
        if (ci) {
            throw new AssertionFailedError("Shared test data required on CI (CI=true): " + where);
        }
        throw new TestAbortedException("Shared test data not available, skipping: " + where);
    }

    /** Finds the repository root by walking up from {@code user.dir}. */
    static final class RepoRoot {
        private RepoRoot() {
        }

        static Optional<Path> find() {
            Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
            Path gitFallback = null;
            for (Path d = dir; d != null; d = d.getParent()) {
                if (isParentPom(d.resolve("pom.xml"))) {
                    return Optional.of(d);
                }
                if (gitFallback == null && Files.exists(d.resolve(".git"))) {
                    gitFallback = d;
                }
            }
            return Optional.ofNullable(gitFallback);
        }

        private static boolean isParentPom(Path pom) {
            if (!Files.isRegularFile(pom)) {
                return false;
            }
            try {
                return Files.readString(pom).contains("<artifactId>facestream-parent</artifactId>")
                        && Files.readString(pom).contains("<modules>");
            } catch (IOException e) {
                return false;
            }
        }
    }
}
