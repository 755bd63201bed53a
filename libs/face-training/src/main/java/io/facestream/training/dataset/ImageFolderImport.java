package io.facestream.training.dataset;

import io.facestream.training.crop.FaceCropper;
import io.facestream.vision.decode.DecodedImage;
import io.facestream.vision.decode.ImageDecodeException;
import io.facestream.vision.decode.ImageDecoder;
import io.facestream.vision.encode.PngEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.opencv.core.Mat;

/**
 * Fills a {@link LabelledFaces} store from an ImageFolder layout {@code <dir>/<identity>/*.{png,jpg,jpeg}}:
 * images that are already aligned crops (112×112) are stored as they are, any other image is detected and
 * aligned first (its largest face; an image without a face is skipped with a warning).
 */
public final class ImageFolderImport {

    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

    /**
     * @param stored  faces stored (new or already there)
     * @param aligned of those, images that were already aligned crops
     * @param skipped images without a face or unreadable, each with the reason
     */
    public record Summary(int stored, int aligned, List<String> skipped) {
    }

    private final FaceCropper cropper;
    private final ImageDecoder decoder;
    private final Consumer<String> warnings;

    public ImageFolderImport(FaceCropper cropper, ImageDecoder decoder, Consumer<String> warnings) {
        this.cropper = cropper;
        this.decoder = decoder;
        this.warnings = warnings;
    }

    /** Imports every identity folder of {@code dir}; the folder name is the identity. */
    public Summary importFolder(Path dir, LabelledFaces store) throws IOException {
        Summary total = new Summary(0, 0, List.of());
        try (Stream<Path> s = Files.list(dir)) {
            for (Path identityDir : s.filter(Files::isDirectory).sorted().toList()) {
                Summary one = importIdentity(identityDir.getFileName().toString(), images(identityDir), store);
                List<String> skipped = new ArrayList<>(total.skipped());
                skipped.addAll(one.skipped());
                total = new Summary(total.stored() + one.stored(), total.aligned() + one.aligned(), skipped);
            }
        }
        return total;
    }

    /** Imports the given images as faces of {@code identity}. */
    public Summary importIdentity(String identity, List<Path> images, LabelledFaces store) throws IOException {
        int stored = 0, aligned = 0;
        List<String> skipped = new ArrayList<>();
        for (Path file : images) {
            Optional<byte[]> png;
            boolean wasAligned;
            try (DecodedImage image = decoder.read(file)) {
                wasAligned = FaceCropper.isAlignedCrop(image.rgb());
                png = wasAligned ? Optional.of(PngEncoder.rgb(image.rgb())) : crop(image.rgb());
            } catch (ImageDecodeException e) {
                skip(skipped, file + ": unreadable (" + e.getMessage() + ")");
                continue;
            }
            if (png.isEmpty()) {
                skip(skipped, file + ": no face found");
                continue;
            }
            store.add(identity, png.get());
            stored++;
            aligned += wasAligned ? 1 : 0;
        }
        return new Summary(stored, aligned, skipped);
    }

    /** The image files of one folder, sorted. */
    public static List<Path> images(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> EXTENSIONS.stream()
                    .anyMatch(e -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(e))).sorted().toList();
        }
    }

    private Optional<byte[]> crop(Mat rgb) {
        return cropper.largestFace(rgb).map(m -> {
            try {
                return PngEncoder.rgb(m);
            } finally {
                m.release();
            }
        });
    }

    private void skip(List<String> skipped, String why) {
        skipped.add(why);
        warnings.accept("skipped " + why);
    }
}
