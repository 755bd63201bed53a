package io.facestream.vision.decode;

/** BMP: the 14-byte file header plus the DIB header for dimensions; the pixel array's extent for completeness. */
final class BmpParser {

    private static final int CORE_HEADER = 12;
    private static final int INFO_HEADER = 40;
    private static final int V5_HEADER = 124;
    private static final int BI_RGB = 0;
    private static final int BI_RLE8 = 1;
    private static final int BI_RLE4 = 2;
    private static final int BI_BITFIELDS = 3;

    private BmpParser() {
    }

    /** The fields both checks need; OS/2 core headers use 16-bit fields at different offsets. */
    private record Dib(long width, long height, int bitsPerPixel, long compression, long imageSize) {
    }

    static ImageHeader probe(byte[] bytes) throws ImageDecodeException {
        HeaderReader in = new HeaderReader(bytes, ImageFormat.BMP);
        Dib dib = dib(in);
        if (dib.width() <= 0 || dib.width() > Integer.MAX_VALUE || dib.height() == 0
                || Math.abs(dib.height()) > Integer.MAX_VALUE) {
            throw in.corrupt("header declares an invalid size " + dib.width() + "x" + dib.height());
        }
        int bpp = dib.bitsPerPixel();
        String model = switch (bpp) {
            case 1, 2, 4, 8 -> "palette";
            case 16, 24 -> "rgb";
            // The fourth byte is alpha or padding depending on the writer; IMREAD_COLOR drops it either way.
            case 32 -> "rgbx";
            default -> throw in.corrupt("unsupported bit depth " + bpp);
        };
        // A negative height marks a top-down bitmap; the size is its magnitude.
        return new ImageHeader(ImageFormat.BMP, (int) dib.width(), (int) Math.abs(dib.height()), bpp + "-bit " + model);
    }

    private static Dib dib(HeaderReader in) throws ImageDecodeException {
        long dibSize = in.le32(14);
        if (dibSize == CORE_HEADER) {
            return new Dib(in.le16(18), in.le16(20), in.le16(24), BI_RGB, 0);
        }
        if (dibSize < INFO_HEADER || dibSize > V5_HEADER) {
            // "BM" is only two bytes, so text or other data can start with it by chance.
            throw new ImageDecodeException(ImageDecodeException.Reason.NOT_AN_IMAGE,
                    "not an image: starts with 'BM' but has no valid BMP header");
        }
        return new Dib(signed(in.le32(18)), signed(in.le32(22)), in.le16(28), in.le32(30), in.le32(34));
    }

    private static long signed(long unsigned32) {
        return (int) unsigned32;
    }

    /** Uncompressed rows are padded to 4 bytes, so the pixel array's size follows from the header alone. */
    static void requireComplete(byte[] bytes) throws ImageDecodeException {
        HeaderReader in = new HeaderReader(bytes, ImageFormat.BMP);
        long pixelOffset = in.le32(10);
        Dib dib = dib(in);
        long needed;
        if (dib.compression() == BI_RGB || dib.compression() == BI_BITFIELDS) {
            long rowBytes = (dib.width() * dib.bitsPerPixel() + 31) / 32 * 4;
            needed = pixelOffset + rowBytes * Math.abs(dib.height());
        } else if (dib.compression() == BI_RLE8 || dib.compression() == BI_RLE4) {
            // RLE size is only known from the header's image-size field, which writers may leave at 0.
            needed = pixelOffset + Math.max(1, dib.imageSize());
        } else {
            throw in.corrupt("unsupported compression " + dib.compression());
        }
        if (needed > bytes.length) {
            throw in.truncated("pixel data needs " + needed + " bytes, only " + bytes.length + " present");
        }
    }
}
