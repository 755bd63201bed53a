package io.facestream.vision.decode;

import java.util.Objects;

/**
 * What an image's header declares, read without decoding any pixel data.
 *
 * @param format the encoding
 * @param width  stored width in pixels; a JPEG with an EXIF rotation decodes with width and height swapped
 * @param height stored height in pixels
 * @param layout short description of the stored pixels, e.g. {@code "8-bit rgb"}, {@code "16-bit rgba"},
 *               {@code "8-bit grey"}, {@code "8-bit cmyk"}, {@code "lossless rgb"}; for logs and diagnostics,
 *               not for parsing
 */
public record ImageHeader(ImageFormat format, int width, int height, String layout) {

    public ImageHeader {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(layout, "layout");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("dimensions must be positive, were " + width + "x" + height);
        }
    }

    public long pixelCount() {
        return (long) width * height;
    }

    /**
     * Sniffs the format and reads the dimensions from the header alone, so the pixel limit can be checked before
     * anything is allocated. Says nothing about whether the rest of the data is complete.
     *
     * @throws ImageDecodeException EMPTY, NOT_AN_IMAGE, TRUNCATED (header cut short) or CORRUPT (header
     *                              inconsistent)
     */
    public static ImageHeader probe(byte[] bytes) throws ImageDecodeException {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length == 0) {
            throw new ImageDecodeException(ImageDecodeException.Reason.EMPTY, "image is empty (0 bytes)");
        }
        ImageFormat format = ImageFormat.sniff(bytes).orElseThrow(() -> new ImageDecodeException(
                ImageDecodeException.Reason.NOT_AN_IMAGE, describeUnrecognised(bytes)));
        return switch (format) {
            case JPEG -> JpegParser.probe(bytes);
            case PNG -> PngParser.probe(bytes);
            case BMP -> BmpParser.probe(bytes);
            case WEBP -> WebpParser.probe(bytes);
        };
    }

    /** Names formats people commonly upload by mistake (iPhone HEIC, GIF) so the message says what to fix. */
    private static String describeUnrecognised(byte[] bytes) {
        String supported = " (supported: JPEG, PNG, BMP, WEBP)";
        if (ImageFormat.startsWith(bytes, 0, 'G', 'I', 'F', '8')) {
            return "GIF images are not supported" + supported;
        }
        if (ImageFormat.startsWith(bytes, 0, 'I', 'I', 0x2A, 0x00)
                || ImageFormat.startsWith(bytes, 0, 'M', 'M', 0x00, 0x2A)) {
            return "TIFF images are not supported" + supported;
        }
        if (ImageFormat.startsWith(bytes, 4, 'f', 't', 'y', 'p')) {
            return "HEIC/AVIF images are not supported" + supported;
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(4, bytes.length); i++) {
            hex.append(String.format(" %02x", bytes[i] & 0xFF));
        }
        return "not an image: unrecognised leading bytes" + hex + supported;
    }
}
