package io.facestream.training.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The retrainer's labelled faces on disk, ImageFolder-style: {@code <root>/faces/<identity>/<sha256>.png} for
 * faces of a person, {@code <root>/not/<identity>/<sha256>.png} for faces an operator said are <em>not</em>
 * that person (hard negatives). Files are named by the SHA-256 of their bytes, so the same crop is stored once
 * per class however often it is labelled.
 */
public final class LabelledFaces {

    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final Path faces;
    private final Path negatives;

    public LabelledFaces(Path root) throws IOException {
        this.faces = Files.createDirectories(root.resolve("faces"));
        this.negatives = Files.createDirectories(root.resolve("not"));
    }

    /** Stores a face of {@code identityId}; returns its file. Adding the same crop again changes nothing. */
    public Path add(String identityId, byte[] png) throws IOException {
        Path file = Files.createDirectories(faces.resolve(checked(identityId))).resolve(sha256(png) + ".png");
        if (!Files.exists(file)) {
            Path tmp = Files.write(file.resolveSibling(file.getFileName() + ".tmp"), png);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        }
        return file;
    }

    /**
     * Records that a face is not {@code identityId}: it leaves that person's class (if it was there) and is
     * kept as a hard negative for them.
     */
    public Path notThisPerson(String identityId, byte[] png) throws IOException {
        String id = checked(identityId);
        String name = sha256(png) + ".png";
        Files.deleteIfExists(faces.resolve(id).resolve(name));
        Path file = Files.createDirectories(negatives.resolve(id)).resolve(name);
        if (!Files.exists(file)) {
            Files.write(file, png);
        }
        return file;
    }

    /**
     * Stores a face of {@code identityId} and takes the same crop out of every other identity's faces: an
     * operator's correction replaces the earlier label.
     */
    public Path relabel(String identityId, byte[] png) throws IOException {
        String name = sha256(png) + ".png";
        try (Stream<Path> dirs = Files.list(faces)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                if (!dir.getFileName().toString().equals(identityId)) {
                    Files.deleteIfExists(dir.resolve(name));
                }
            }
        }
        return add(identityId, png);
    }

    /**
     * Copies the whole store to {@code target} (a training job's fixed snapshot: labels arriving while it
     * trains do not change its data).
     */
    public LabelledFaces copyTo(Path target) throws IOException {
        Path root = faces.getParent();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".png")).toList()) {
                Path to = target.resolve(root.relativize(p).toString());
                Files.createDirectories(to.getParent());
                Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return new LabelledFaces(target);
    }

    /** Erasure: every face of the person and every negative kept for them is deleted. */
    public void erase(String identityId) throws IOException {
        String id = checked(identityId);
        deleteTree(faces.resolve(id));
        deleteTree(negatives.resolve(id));
    }

    /** Faces per identity, for class weights; identities without faces are left out. */
    public Map<String, Long> counts() throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(faces)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                long n = files(dir).size();
                if (n > 0) {
                    counts.put(dir.getFileName().toString(), n);
                }
            }
        }
        return counts;
    }

    /** The faces of one identity, sorted by name (stable for seeded splits). */
    public List<Path> facesOf(String identityId) throws IOException {
        Path dir = faces.resolve(checked(identityId));
        return Files.isDirectory(dir) ? files(dir) : List.of();
    }

    /** The hard negatives of one identity. */
    public List<Path> negativesOf(String identityId) throws IOException {
        Path dir = negatives.resolve(checked(identityId));
        return Files.isDirectory(dir) ? files(dir) : List.of();
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().toList();
        }
    }

    private static String checked(String identityId) {
        if (identityId == null || !SAFE_ID.matcher(identityId).matches() || identityId.startsWith(".")) {
            throw new IllegalArgumentException("not a usable identity id for a folder name: " + identityId);
        }
        return identityId;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
