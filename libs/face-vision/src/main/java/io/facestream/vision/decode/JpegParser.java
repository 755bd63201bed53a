package io.facestream.vision.decode;

/**
 * JPEG: walks the marker segments by their declared lengths to the frame header (SOFn). Skipping whole
 * segments matters: an EXIF APP1 often embeds a thumbnail with its own SOF, and a byte search for FFC0 would
 * report the thumbnail's size instead of the image's.
 */
final class JpegParser {

    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int TEM = 0x01;
    private static final int APP14 = 0xEE;

    private JpegParser() {
    }

    /** The frame header and where the entropy-coded data of the first scan begins. */
    private record Walk(ImageHeader header, int firstScanData) {
    }

    static ImageHeader probe(byte[] bytes) throws ImageDecodeException {
        return walk(bytes, false).header();
    }

    /**
     * Requires an end-of-image marker after the first scan. Entropy-coded data cannot contain FF D9 (FF is stuffed
     * as FF 00), so such a marker can only be the real EOI. Searching for it rather than insisting the data ends
     * with it tolerates zero padding and appended trailers (e.g. the video in a "motion photo"), which libjpeg
     * ignores anyway. This check is essential: OpenCV decodes a JPEG cut in half without complaint and fills the
     * missing rows with grey.
     */
    static void requireComplete(byte[] bytes) throws ImageDecodeException {
        int scanData = walk(bytes, true).firstScanData();
        for (int i = bytes.length - 1; i > scanData; i--) {
            if ((bytes[i] & 0xFF) == EOI && (bytes[i - 1] & 0xFF) == 0xFF) {
                return;
            }
        }
        throw new HeaderReader(bytes, ImageFormat.JPEG).truncated("no end-of-image marker");
    }

    private static Walk walk(byte[] bytes, boolean toFirstScan) throws ImageDecodeException {
        HeaderReader in = new HeaderReader(bytes, ImageFormat.JPEG);
        int offset = 2;
        ImageHeader header = null;
        int adobeTransform = -1;
        while (true) {
            if (in.u8(offset) != 0xFF) {
                throw in.corrupt("marker expected at byte " + offset);
            }
            // Any number of FF fill bytes may precede a marker code.
            while (in.u8(offset) == 0xFF) {
                offset++;
            }
            int marker = in.u8(offset++);
            if (marker == SOI || marker == TEM || (marker >= 0xD0 && marker <= 0xD7)) {
                continue;
            }
            if (marker == EOI) {
                throw in.corrupt("image ends before its first scan");
            }
            int length = in.be16(offset);
            if (length < 2) {
                throw in.corrupt("segment at byte " + offset + " has invalid length " + length);
            }
            if (marker == SOS) {
                if (header == null) {
                    throw in.corrupt("scan starts before any frame header");
                }
                return new Walk(header, offset + length);
            }
            if (isFrameHeader(marker) && header == null) {
                header = frameHeader(in, offset, adobeTransform);
                if (!toFirstScan) {
                    return new Walk(header, -1);
                }
            }
            if (marker == APP14 && length >= 14 && in.matches(offset + 2, "Adobe")) {
                adobeTransform = in.u8(offset + 13);
            }
            offset += length;
        }
    }

    /** SOF0..SOF15, except C4 (DHT), C8 (reserved) and CC (DAC), which share the range. */
    private static boolean isFrameHeader(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static ImageHeader frameHeader(HeaderReader in, int offset, int adobeTransform)
            throws ImageDecodeException {
        int precision = in.u8(offset + 2);
        int height = in.be16(offset + 3);
        int width = in.be16(offset + 5);
        int components = in.u8(offset + 7);
        if (height == 0) {
            // Height 0 defers it to a DNL marker after the first scan; neither libjpeg-turbo nor we support that.
            throw in.corrupt("frame header declares height 0 (DNL), which is not supported");
        }
        if (width == 0) {
            throw in.corrupt("frame header declares width 0");
        }
        String layout = precision + "-bit " + model(components, adobeTransform);
        return new ImageHeader(ImageFormat.JPEG, width, height, layout);
    }

    /** Follows libjpeg's guess: the Adobe APP14 transform flag decides RGB vs YCbCr and CMYK vs YCCK. */
    private static String model(int components, int adobeTransform) {
        return switch (components) {
            case 1 -> "grey";
            case 3 -> adobeTransform == 0 ? "rgb" : "ycbcr";
            case 4 -> adobeTransform == 2 ? "ycck" : "cmyk";
            default -> components + "-component";
        };
    }
}
