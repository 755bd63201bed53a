package io.facestream.services.ingest.camera;

import io.facestream.pipeline.topics.FrameLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every JPEG and PNG file of a folder (recursively, sorted by path), or a single image file. A file over the
 * frame limit ({@link FrameLimits#MAX_IMAGE_BYTES}) is skipped ({@link SkippedFrameException}) without being
 * read: its size is checked first, and the read stops at the limit should the file grow in between.
 */
public final class ImageFolderSource implements FrameSource {

    private final Iterator<Path> files;

    public ImageFolderSource(Path source) throws IOException {
        if (Files.isRegularFile(source)) {
            files = List.of(source).iterator();
        } else {
            try (Stream<Path> s = Files.walk(source)) {
                files = s.filter(Files::isRegularFile).filter(ImageFolderSource::isImage).sorted().toList().iterator();
            }
        }
    }

    /** Exactly these files, in this order. */
    public ImageFolderSource(List<Path> images) {
        files = List.copyOf(images).iterator();
    }

    public static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
    }

    @Override
    public Optional<EncodedFrame> next() throws IOException {
        if (!files.hasNext()) {
            return Optional.empty();
        }
        Path p = files.next();
        String type = p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png") ? "image/png" : "image/jpeg";
        return Optional.of(new EncodedFrame(readWithinLimit(p), type, p.toString()));
    }

    private static byte[] readWithinLimit(Path p) throws IOException {
        long size = Files.size(p);
        if (size > FrameLimits.MAX_IMAGE_BYTES) {
            throw tooLarge(p, Long.toString(size));
        }
        try (InputStream in = Files.newInputStream(p)) {
            byte[] bytes = in.readNBytes(FrameLimits.MAX_IMAGE_BYTES + 1);
            if (bytes.length > FrameLimits.MAX_IMAGE_BYTES) {
                throw tooLarge(p, "more than " + FrameLimits.MAX_IMAGE_BYTES);
            }
            return bytes;
        }
    }

    private static SkippedFrameException tooLarge(Path p, String size) {
        return new SkippedFrameException(String.format(Locale.ROOT, "%s: %s bytes, over the frame limit of %s", p,
                size, FrameLimits.describe()));
    }

    @Override
    public void close() {
    }
}
