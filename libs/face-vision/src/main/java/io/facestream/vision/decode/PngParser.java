package io.facestream.vision.decode;

/** PNG: the IHDR chunk for dimensions, the chunk chain up to IEND for completeness. */
final class PngParser {

    private static final int[] SIGNATURE = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    private static final int FIRST_CHUNK = SIGNATURE.length;

    private PngParser() {
    }

    static ImageHeader probe(byte[] bytes) throws ImageDecodeException {
        HeaderReader in = new HeaderReader(bytes, ImageFormat.PNG);
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (in.u8(i) != SIGNATURE[i]) {
                // The CR LF / LF bytes exist to catch text-mode transfers, which rewrite exactly these bytes.
                throw in.corrupt("damaged signature (was it transferred as text?)");
            }
        }
        if (in.be32(FIRST_CHUNK) != 13 || !in.matches(FIRST_CHUNK + 4, "IHDR")) {
            throw in.corrupt("first chunk is not a 13-byte IHDR");
        }
        long width = in.be32(16);
        long height = in.be32(20);
        int bitDepth = in.u8(24);
        int colourType = in.u8(25);
        // The spec caps dimensions at 2^31 - 1 and forbids zero.
        if (width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw in.corrupt("IHDR declares an invalid size " + width + "x" + height);
        }
        return new ImageHeader(ImageFormat.PNG, (int) width, (int) height, bitDepth + "-bit " + model(in, colourType));
    }

    private static String model(HeaderReader in, int colourType) throws ImageDecodeException {
        return switch (colourType) {
            case 0 -> "grey";
            case 2 -> "rgb";
            case 3 -> "palette";
            case 4 -> "grey+alpha";
            case 6 -> "rgba";
            default -> throw in.corrupt("unknown colour type " + colourType);
        };
    }

    /** Walks the chunk chain; trailing bytes after IEND are tolerated, as libpng does. */
    static void requireComplete(byte[] bytes) throws ImageDecodeException {
        HeaderReader in = new HeaderReader(bytes, ImageFormat.PNG);
        long offset = FIRST_CHUNK;
        while (offset + 8 <= bytes.length) {
            long dataLength = in.be32((int) offset);
            boolean isEnd = in.matches((int) offset + 4, "IEND");
            // length + type + data + CRC
            long next = offset + 12 + dataLength;
            if (next > bytes.length) {
                throw in.truncated("chunk at byte " + offset + " runs past the end of the data");
            }
            if (isEnd) {
                return;
            }
            offset = next;
        }
        throw in.truncated("no IEND chunk");
    }
}
