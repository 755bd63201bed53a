package io.facestream.vision.decode;

import java.util.Optional;

/**
 * The encodings {@link ImageDecoder} accepts. Each one has a header we can read without decoding pixels and a
 * reliable end-of-data signal, which is what the pixel limit and the truncation check need. OpenCV can decode
 * more (TIFF, JPEG 2000, PNM, HDR, Sun raster), but those are refused rather than passed through unchecked.
 */
public enum ImageFormat {
    JPEG,
    PNG,
    BMP,
    WEBP;

    /** Identifies the format by its magic bytes alone; the header may still turn out to be damaged. */
    public static Optional<ImageFormat> sniff(byte[] bytes) {
        if (startsWith(bytes, 0, 0xFF, 0xD8)) {
            return Optional.of(JPEG);
        }
        // Four bytes are enough to tell PNG apart; PngParser reports a damaged rest of the signature as CORRUPT.
        if (startsWith(bytes, 0, 0x89, 'P', 'N', 'G')) {
            return Optional.of(PNG);
        }
        if (startsWith(bytes, 0, 'B', 'M')) {
            return Optional.of(BMP);
        }
        // "RIFF" alone also starts WAV and AVI files, so the form type must say WEBP too.
        if (startsWith(bytes, 0, 'R', 'I', 'F', 'F') && startsWith(bytes, 8, 'W', 'E', 'B', 'P')) {
            return Optional.of(WEBP);
        }
        return Optional.empty();
    }

    static boolean startsWith(byte[] bytes, int offset, int... expected) {
        if (bytes.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((bytes[offset + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
