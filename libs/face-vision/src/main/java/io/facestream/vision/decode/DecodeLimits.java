package io.facestream.vision.decode;

/**
 * Upper bounds an {@link ImageDecoder} enforces before it lets OpenCV allocate anything.
 *
 * @param maxPixels largest accepted {@code width * height}, checked against the header, so a small file that
 *                  declares a huge canvas (a decompression bomb) is refused without decoding
 * @param maxBytes  largest accepted encoded size; at most {@link #MAX_ARRAY_BYTES} because the decoder holds
 *                  the whole encoded image in one {@code byte[]}
 */
public record DecodeLimits(long maxPixels, long maxBytes) {

    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    public static final long DEFAULT_MAX_BYTES = 50L * 1024 * 1024;
    /** The JVM cannot allocate arrays much closer to {@code Integer.MAX_VALUE} than this. */
    public static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8L;

    public DecodeLimits {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, was " + maxPixels);
        }
        if (maxBytes <= 0 || maxBytes > MAX_ARRAY_BYTES) {
            throw new IllegalArgumentException(
                    "maxBytes must be in 1.." + MAX_ARRAY_BYTES + ", was " + maxBytes);
        }
    }

    /** 40 MP and 50 MiB: room for any phone camera, far below what would exhaust a service's memory. */
    public static DecodeLimits defaults() {
        return new DecodeLimits(DEFAULT_MAX_PIXELS, DEFAULT_MAX_BYTES);
    }
}
