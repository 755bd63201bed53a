package io.facestream.kafka.security;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Directories and files that only their owner may read: the embedded broker's data (frames, face crops, the
 * gallery) and its credentials. Folders are 0700 and files 0600 from the moment they exist, not chmod-ed
 * afterwards, so no other local user can open them in between. On a file system without POSIX permissions
 * (not the Linux machines FaceStream runs on) the calls create plain folders and files.
 */
public final class OwnerOnlyFiles {

    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private OwnerOnlyFiles() {
    }

    /**
     * Creates {@code dir} and any missing parents as 0700; an existing {@code dir} is narrowed to 0700 too
     * (data written by an older version under the default umask). Existing parents are left alone.
     */
    public static Path createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        Path parent = absolute.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createDirectories(parent);
        }
        if (!Files.isDirectory(absolute)) {
            if (POSIX) {
                Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(DIRECTORY));
            } else {
                Files.createDirectory(absolute);
            }
        }
        if (POSIX) {
            Files.setPosixFilePermissions(absolute, DIRECTORY);
        }
        return absolute;
    }

    /** A fresh 0700 temp directory. */
    public static Path createTempDirectory(String prefix) throws IOException {
        return POSIX ? Files.createTempDirectory(prefix, PosixFilePermissions.asFileAttribute(DIRECTORY))
                : Files.createTempDirectory(prefix);
    }

    /**
     * Writes {@code content} to {@code file} (0600) atomically: into a 0600 temp file beside it, then moved over
     * it, so a reader sees the old or the new content and a crash leaves no half-written credentials. The
     * folder is created 0700 if missing.
     */
    public static void write(Path file, byte[] content) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path dir = createDirectories(absolute.getParent());
        FileAttribute<?>[] attributes = POSIX
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp", attributes);
        try {
            Files.write(temp, content, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
