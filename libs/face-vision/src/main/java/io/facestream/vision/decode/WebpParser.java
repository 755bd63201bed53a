package io.facestream.vision.decode;

/**
 * WEBP: a RIFF container whose first chunk is VP8 (lossy), VP8L (lossless) or VP8X (extended, e.g. lossy with
 * alpha). Each stores the size differently; completeness comes from the RIFF size field.
 */
final class WebpParser {

    private static final int CHUNK = 12;
    private static final int DATA = CHUNK + 8;

    private WebpParser() {
    }

    static ImageHeader probe(byte[] bytes) throws ImageDecodeException {
        HeaderReader in = new HeaderReader(bytes, ImageFormat.WEBP);
        if (in.matches(CHUNK, "VP8 ")) {
            // 3-byte frame tag, then the key-frame start code; sizes are 14 bits, the top 2 bits are scaling.
            if (in.u8(DATA + 3) != 0x9D || in.u8(DATA + 4) != 0x01 || in.u8(DATA + 5) != 0x2A) {
                throw in.corrupt("VP8 start code missing");
            }
            return header(in, in.le16(DATA + 6) & 0x3FFF, in.le16(DATA + 8) & 0x3FFF, "lossy rgb");
        }
        if (in.matches(CHUNK, "VP8L")) {
            if (in.u8(DATA) != 0x2F) {
                throw in.corrupt("VP8L signature missing");
            }
            long bits = in.le32(DATA + 1);
            boolean alpha = ((bits >> 28) & 1) != 0;
            return header(in, (int) (bits & 0x3FFF) + 1, (int) ((bits >> 14) & 0x3FFF) + 1,
                    alpha ? "lossless rgba" : "lossless rgb");
        }
        if (in.matches(CHUNK, "VP8X")) {
            int flags = in.u8(DATA);
            String model = (flags & 0x10) != 0 ? "rgba" : "rgb";
            // OpenCV decodes only the first frame of an animation, if at all; say so in diagnostics.
            String animated = (flags & 0x02) != 0 ? " animated" : "";
            return header(in, in.le24(DATA + 4) + 1, in.le24(DATA + 7) + 1, "extended " + model + animated);
        }
        throw in.corrupt("first chunk is not VP8, VP8L or VP8X");
    }

    private static ImageHeader header(HeaderReader in, int width, int height, String layout)
            throws ImageDecodeException {
        if (width == 0 || height == 0) {
            throw in.corrupt("header declares an invalid size " + width + "x" + height);
        }
        return new ImageHeader(ImageFormat.WEBP, width, height, layout);
    }

    /** The RIFF size counts everything after the 8-byte RIFF chunk header. */
    static void requireComplete(byte[] bytes) throws ImageDecodeException {
        HeaderReader in = new HeaderReader(bytes, ImageFormat.WEBP);
        long needed = 8 + in.le32(4);
        if (needed > bytes.length) {
            throw in.truncated("RIFF container declares " + needed + " bytes, only " + bytes.length + " present");
        }
    }
}
