package io.facestream.vision.decode;

import io.facestream.vision.OpenCvLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.opencv.core.CvException;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Turns untrusted encoded bytes into an 8-bit RGB {@link DecodedImage}, or a one-line reason why not.
 *
 * <p>Every check that can be done on the header runs before OpenCV sees the data: size limits first (cheap,
 * and they stop decompression bombs before any allocation), then completeness, because OpenCV silently decodes
 * a cut-off JPEG with its missing rows filled in grey.
 *
 * <p>Decoding uses {@code IMREAD_COLOR}, which always yields 8-bit BGR: grey is replicated to three channels,
 * alpha is dropped (not composited, so a transparent pixel shows its stored colour), 16-bit samples keep their
 * high byte, palettes are expanded and CMYK/YCCK JPEGs are converted. It also applies the EXIF orientation of
 * JPEGs, so a portrait phone photo comes out upright, which is what a face detector needs; the header keeps
 * the stored (unrotated) size.
 *
 * <p>Thread-safe: the only state is the immutable limits.
 */
public final class ImageDecoder {

    private static final int MEGA = 1_000_000;
    private static final int MEBI = 1024 * 1024;

    private final DecodeLimits limits;

    public ImageDecoder(DecodeLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        OpenCvLoader.ensureLoaded();
    }

    public DecodeLimits limits() {
        return limits;
    }

    /** Decodes an encoded image held in memory. */
    public DecodedImage decode(byte[] bytes) throws ImageDecodeException {
        ImageHeader header = checkedHeader(bytes);
        return decodePixels(bytes, header);
    }

    /** The image's header once every limit readable without decoding pixels holds (bytes, pixels, completeness). */
    private ImageHeader checkedHeader(byte[] bytes) throws ImageDecodeException {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length == 0) {
            throw new ImageDecodeException(ImageDecodeException.Reason.EMPTY, "image is empty (0 bytes)");
        }
        requireWithinByteLimit(bytes.length);
        ImageHeader header = ImageHeader.probe(bytes);
        requireWithinPixelLimit(header);
        requireComplete(header.format(), bytes);
        return header;
    }

    /**
     * A cheap grey preview for change detection, after the same header checks as {@link #decode}: a JPEG is
     * decoded at 1/2, 1/4 or 1/8 scale inside libjpeg's inverse DCT ({@code IMREAD_REDUCED_GRAYSCALE_n}), which
     * skips most of the decoding work — the largest reduction up to {@code maxReduction} that still leaves
     * {@code minWidth} columns; any other format is decoded in full and converted to grey. The caller releases
     * the {@code CV_8UC1} Mat.
     *
     * @param maxReduction 1, 2, 4 or 8 (1: full size)
     * @param minWidth     narrowest preview wanted, pixels
     */
    public Mat decodeGreyPreview(byte[] bytes, int maxReduction, int minWidth) throws ImageDecodeException {
        Objects.requireNonNull(bytes, "bytes");
        if (maxReduction != 1 && maxReduction != 2 && maxReduction != 4 && maxReduction != 8) {
            throw new IllegalArgumentException("maxReduction must be 1, 2, 4 or 8, was " + maxReduction);
        }
        ImageHeader header = checkedHeader(bytes);
        int reduction = maxReduction;
        while (reduction > 1 && header.width() / reduction < minWidth) {
            reduction /= 2;
        }
        // Only libjpeg scales while decoding; for the others the reduced flags would decode fully and resize.
        int mode = header.format() != ImageFormat.JPEG ? Imgcodecs.IMREAD_GRAYSCALE : switch (reduction) {
            case 2 -> Imgcodecs.IMREAD_REDUCED_GRAYSCALE_2;
            case 4 -> Imgcodecs.IMREAD_REDUCED_GRAYSCALE_4;
            case 8 -> Imgcodecs.IMREAD_REDUCED_GRAYSCALE_8;
            default -> Imgcodecs.IMREAD_GRAYSCALE;
        };
        MatOfByte encoded = new MatOfByte(bytes);
        Mat grey;
        try {
            grey = Imgcodecs.imdecode(encoded, mode);
        } catch (CvException e) {
            String firstLine = e.getMessage().lines().findFirst().orElse("decoder error");
            throw new ImageDecodeException(ImageDecodeException.Reason.CORRUPT,
                    "corrupt " + header.format() + ": " + firstLine, e);
        } finally {
            encoded.release();
        }
        if (grey.empty()) {
            throw new ImageDecodeException(ImageDecodeException.Reason.CORRUPT,
                    "corrupt " + header.format() + ": OpenCV could not decode the pixel data");
        }
        if (grey.type() != CvType.CV_8UC1) {
            Mat converted = new Mat();
            grey.convertTo(converted, CvType.CV_8U, grey.depth() == CvType.CV_16U ? 1.0 / 256 : 1.0);
            grey.release();
            return converted;
        }
        return grey;
    }

    /** Decodes a file, refusing one over the byte limit before reading it. */
    public DecodedImage read(Path file) throws ImageDecodeException {
        Objects.requireNonNull(file, "file");
        if (!Files.exists(file)) {
            throw new ImageDecodeException(ImageDecodeException.Reason.UNREADABLE, "no such file: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new ImageDecodeException(ImageDecodeException.Reason.UNREADABLE, "not a regular file: " + file);
        }
        byte[] bytes;
        try {
            requireWithinByteLimit(Files.size(file));
            // Read at most one byte past the limit, in case the file grew after the size check.
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes((int) (limits.maxBytes() + 1));
            }
        } catch (NoSuchFileException e) {
            throw new ImageDecodeException(ImageDecodeException.Reason.UNREADABLE, "no such file: " + file, e);
        } catch (AccessDeniedException e) {
            throw new ImageDecodeException(ImageDecodeException.Reason.UNREADABLE, "permission denied: " + file, e);
        } catch (IOException e) {
            throw new ImageDecodeException(ImageDecodeException.Reason.UNREADABLE,
                    "cannot read " + file + ": " + e.getMessage(), e);
        }
        return decode(bytes);
    }

    private void requireWithinByteLimit(long size) throws ImageDecodeException {
        if (size > limits.maxBytes()) {
            String message = limits.maxBytes() >= MEBI
                    ? String.format(Locale.ROOT, "image is %,d bytes (%.1f MiB), over the %.1f MiB limit",
                            size, (double) size / MEBI, (double) limits.maxBytes() / MEBI)
                    : String.format(Locale.ROOT, "image is %,d bytes, over the %,d-byte limit",
                            size, limits.maxBytes());
            throw new ImageDecodeException(ImageDecodeException.Reason.TOO_MANY_BYTES, message);
        }
    }

    private void requireWithinPixelLimit(ImageHeader header) throws ImageDecodeException {
        long pixels = header.pixelCount();
        long max = limits.maxPixels();
        if (pixels > max) {
            String size = header.width() + "x" + header.height();
            String inMegapixels = String.format(Locale.ROOT, "%.1f", (double) pixels / MEGA);
            String limitInMegapixels = String.format(Locale.ROOT, "%.1f", (double) max / MEGA);
            // Megapixels read better, but rounding can make both sides print the same; then show exact counts.
            String message = max >= MEGA / 10 && !inMegapixels.equals(limitInMegapixels)
                    ? "image is " + size + " = " + inMegapixels + " MP, over the " + limitInMegapixels + " MP limit"
                    : String.format(Locale.ROOT, "image is %s = %,d pixels, over the %,d-pixel limit",
                            size, pixels, max);
            throw new ImageDecodeException(ImageDecodeException.Reason.TOO_MANY_PIXELS, message);
        }
    }

    private static void requireComplete(ImageFormat format, byte[] bytes) throws ImageDecodeException {
        switch (format) {
            case JPEG -> JpegParser.requireComplete(bytes);
            case PNG -> PngParser.requireComplete(bytes);
            case BMP -> BmpParser.requireComplete(bytes);
            case WEBP -> WebpParser.requireComplete(bytes);
        }
    }

    private static DecodedImage decodePixels(byte[] bytes, ImageHeader header) throws ImageDecodeException {
        MatOfByte encoded = new MatOfByte(bytes);
        Mat bgr;
        try {
            bgr = Imgcodecs.imdecode(encoded, Imgcodecs.IMREAD_COLOR);
        } catch (CvException e) {
            String firstLine = e.getMessage().lines().findFirst().orElse("decoder error");
            throw new ImageDecodeException(ImageDecodeException.Reason.CORRUPT,
                    "corrupt " + header.format() + ": " + firstLine, e);
        } finally {
            encoded.release();
        }
        try {
            if (bgr.empty()) {
                throw new ImageDecodeException(ImageDecodeException.Reason.CORRUPT,
                        "corrupt " + header.format() + ": OpenCV could not decode the pixel data");
            }
            if (bgr.type() != CvType.CV_8UC3) {
                throw new IllegalStateException("IMREAD_COLOR returned " + CvType.typeToString(bgr.type()));
            }
            Mat rgb = new Mat();
            Imgproc.cvtColor(bgr, rgb, Imgproc.COLOR_BGR2RGB);
            return new DecodedImage(rgb, header);
        } finally {
            bgr.release();
        }
    }
}
