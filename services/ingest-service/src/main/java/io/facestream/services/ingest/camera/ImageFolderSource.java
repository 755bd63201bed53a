package io.facestream.services.ingest.camera;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/** Every JPEG and PNG file of a folder (recursively, sorted by path), or a single image file. */
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
        return Optional.of(new EncodedFrame(Files.readAllBytes(p), type, p.toString()));
    }

    @Override
    public void close() {
    }
}
