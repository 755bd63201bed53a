package io.facestream.inference.tflite;

import java.util.Arrays;

/** A float32 constant tensor of a TFLite model, in the layout TFLite stores it (row-major). */
public record TfliteTensor(String name, int[] shape, float[] data) {

    public TfliteTensor {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " needs " + n
                    + " values, found " + data.length);
        }
    }

    public void requireShape(int... expected) {
        if (!Arrays.equals(shape, expected)) {
            throw new IllegalArgumentException(name + ": expected shape " + Arrays.toString(expected) + ", found "
                    + Arrays.toString(shape));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TfliteTensor t && name.equals(t.name) && Arrays.equals(shape, t.shape)
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "TfliteTensor[" + name + " " + Arrays.toString(shape) + "]";
    }
}
