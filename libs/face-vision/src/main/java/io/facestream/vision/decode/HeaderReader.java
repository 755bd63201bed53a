package io.facestream.vision.decode;

/**
 * Bounds-checked reads of header fields. Running off the end means the data was cut short, so every read
 * turns that into a TRUNCATED exception instead of an {@code ArrayIndexOutOfBoundsException}.
 */
final class HeaderReader {

    private final byte[] bytes;
    private final ImageFormat format;

    HeaderReader(byte[] bytes, ImageFormat format) {
        this.bytes = bytes;
        this.format = format;
    }

    int length() {
        return bytes.length;
    }

    int u8(int offset) throws ImageDecodeException {
        if (offset < 0 || offset >= bytes.length) {
            throw new ImageDecodeException(ImageDecodeException.Reason.TRUNCATED,
                    "truncated " + format + ": header cut short at " + bytes.length + " bytes");
        }
        return bytes[offset] & 0xFF;
    }

    int be16(int offset) throws ImageDecodeException {
        return (u8(offset) << 8) | u8(offset + 1);
    }

    long be32(int offset) throws ImageDecodeException {
        return ((long) be16(offset) << 16) | be16(offset + 2);
    }

    int le16(int offset) throws ImageDecodeException {
        return u8(offset) | (u8(offset + 1) << 8);
    }

    int le24(int offset) throws ImageDecodeException {
        return le16(offset) | (u8(offset + 2) << 16);
    }

    long le32(int offset) throws ImageDecodeException {
        return le16(offset) | ((long) le16(offset + 2) << 16);
    }

    boolean matches(int offset, String ascii) throws ImageDecodeException {
        for (int i = 0; i < ascii.length(); i++) {
            if (u8(offset + i) != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    ImageDecodeException corrupt(String detail) {
        return new ImageDecodeException(ImageDecodeException.Reason.CORRUPT, "corrupt " + format + ": " + detail);
    }

    ImageDecodeException truncated(String detail) {
        return new ImageDecodeException(ImageDecodeException.Reason.TRUNCATED, "truncated " + format + ": " + detail);
    }
}
