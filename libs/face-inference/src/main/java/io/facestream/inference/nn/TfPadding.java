package io.facestream.inference.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Optional;

/**
 * TensorFlow's padding modes. SAME pads {@code total = max((ceil(n/s) − 1)·s + k − n, 0)} with the odd
 * pixel at the bottom/right, unlike PyTorch's symmetric {@code padding = k/2}; for stride-2 layers the
 * two choose different windows, so the padding is applied explicitly before a padding-free op.
 */
public enum TfPadding {
    SAME,
    VALID;

    /** {before, after} padding for one spatial axis of length {@code n}. */
    public int[] pads(long n, int kernel, int stride) {
        if (this == VALID) {
            return new int[] {0, 0};
        }
        long out = (n + stride - 1) / stride;
        int total = (int) Math.max((out - 1) * stride + kernel - n, 0);
        return new int[] {total / 2, total - total / 2};
    }

    /** Output length along one axis. */
    public long outputSize(long n, int kernel, int stride) {
        return this == SAME ? (n + stride - 1) / stride : (n - kernel) / stride + 1;
    }

    /**
     * The {pH, pW} padding a convolution can apply itself, when TF's padding is the same on both sides of
     * each axis (always for stride 1 and odd kernels); empty when it is asymmetric.
     */
    public Optional<long[]> symmetricPads(long height, long width, int kernel, int stride) {
        int[] h = pads(height, kernel, stride);
        int[] w = pads(width, kernel, stride);
        return h[0] == h[1] && w[0] == w[1] ? Optional.of(new long[] {h[0], w[0]})
                : Optional.empty();
    }

    /** Pads an NCHW tensor for this mode; returns the input itself when no padding is needed. */
    public NDArray apply(NDArray x, int kernel, int stride, double value) {
        int[] h = pads(x.getShape().get(2), kernel, stride);
        int[] w = pads(x.getShape().get(3), kernel, stride);
        if (h[0] == 0 && h[1] == 0 && w[0] == 0 && w[1] == 0) {
            return x;
        }
        // torch F.pad order: last axis first (left, right, top, bottom)
        return x.pad(new Shape(w[0], w[1], h[0], h[1]), value);
    }
}
