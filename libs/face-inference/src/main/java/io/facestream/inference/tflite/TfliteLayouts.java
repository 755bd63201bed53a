package io.facestream.inference.tflite;

/**
 * Converts TFLite (NHWC-world) weight layouts to the NCHW layouts PyTorch convolutions and linear layers
 * expect. MODELS.md section 3 lists each rule; getting any of them wrong yields plausible garbage.
 */
public final class TfliteLayouts {

    private TfliteLayouts() {
    }

    /** CONV_2D kernel {@code [O, KH, KW, I]} → {@code [O, I, KH, KW]}. */
    public static float[] convKernelToOihw(TfliteTensor t) {
        int[] s = t.shape();
        int o = s[0], kh = s[1], kw = s[2], in = s[3];
        float[] src = t.data();
        float[] dst = new float[src.length];
        for (int oc = 0; oc < o; oc++) {
            for (int y = 0; y < kh; y++) {
                for (int x = 0; x < kw; x++) {
                    for (int ic = 0; ic < in; ic++) {
                        dst[((oc * in + ic) * kh + y) * kw + x] = src[((oc * kh + y) * kw + x) * in + ic];
                    }
                }
            }
        }
        return dst;
    }

    /** DEPTHWISE_CONV_2D kernel {@code [1, KH, KW, C]} (multiplier 1) → {@code [C, 1, KH, KW]}. */
    public static float[] depthwiseKernelToOihw(TfliteTensor t) {
        int[] s = t.shape();
        if (s[0] != 1) {
            throw new IllegalArgumentException(t.name() + ": expected a leading dimension of 1");
        }
        int kh = s[1], kw = s[2], c = s[3];
        float[] src = t.data();
        float[] dst = new float[src.length];
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                for (int ch = 0; ch < c; ch++) {
                    dst[(ch * kh + y) * kw + x] = src[(y * kw + x) * c + ch];
                }
            }
        }
        return dst;
    }

    /**
     * FULLY_CONNECTED weights that read a flattened {@code [H, W, C]} activation ({@code [out, H·W·C]},
     * index {@code (h·W + w)·C + c}) → the order of a flattened NCHW activation ({@code (c·H + h)·W + w}).
     */
    public static float[] denseFromNhwcFlatten(TfliteTensor t, int height, int width, int channels) {
        int out = t.shape()[0];
        if (t.shape()[1] != height * width * channels) {
            throw new IllegalArgumentException(t.name() + ": " + t.shape()[1] + " inputs, expected "
                    + height + "×" + width + "×" + channels);
        }
        float[] src = t.data();
        float[] dst = new float[src.length];
        int n = height * width * channels;
        for (int o = 0; o < out; o++) {
            for (int h = 0; h < height; h++) {
                for (int w = 0; w < width; w++) {
                    for (int c = 0; c < channels; c++) {
                        dst[o * n + (c * height + h) * width + w] = src[o * n + (h * width + w) * channels + c];
                    }
                }
            }
        }
        return dst;
    }
}
