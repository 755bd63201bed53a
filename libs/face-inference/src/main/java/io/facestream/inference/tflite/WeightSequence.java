package io.facestream.inference.tflite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The weights of a TFLite graph in the order its operators use them. A port declares its layers in the
 * same order and takes one entry per layer; every take checks the operator kind and the tensor shape, so a
 * layer declared out of order fails loudly instead of loading plausible but wrong weights.
 *
 * <p>Parametric ReLU is decomposed into elementwise ops in these files; its per-channel slope is the
 * constant operand of the one {@code MUL} in each decomposition.
 */
public final class WeightSequence {

    /** Weights of one operator: a kernel plus a bias (or, for MUL, the constant alone). */
    public record Entry(int builtinCode, TfliteTensor weight, TfliteTensor bias) {
    }

    private final List<Entry> entries;
    private int next;

    private WeightSequence(List<Entry> entries) {
        this.entries = entries;
    }

    public static WeightSequence of(TfliteFile file) {
        List<Entry> entries = new ArrayList<>();
        for (TfliteOperator op : file.operators()) {
            switch (op.builtinCode()) {
                case TfliteOperator.CONV_2D, TfliteOperator.DEPTHWISE_CONV_2D, TfliteOperator.FULLY_CONNECTED ->
                        entries.add(new Entry(op.builtinCode(), constantInput(file, op, 1), constantInput(file, op, 2)));
                case TfliteOperator.MUL -> Arrays.stream(op.inputs())
                        .mapToObj(file::constant)
                        .flatMap(java.util.Optional::stream)
                        .findFirst()
                        .ifPresent(c -> entries.add(new Entry(op.builtinCode(), c, null)));
                default -> { }
            }
        }
        return new WeightSequence(entries);
    }

    private static TfliteTensor constantInput(TfliteFile file, TfliteOperator op, int position) {
        int index = op.inputs()[position];
        return file.constant(index).orElseThrow(() -> new IllegalArgumentException(
                "operator input " + position + " (tensor " + index + ") is not a constant"));
    }

    /** The next convolution, depthwise convolution or fully connected layer; checks the stored weight shape. */
    public Entry takeLayer(int builtinCode, int... storedWeightShape) {
        Entry e = take(builtinCode);
        e.weight().requireShape(storedWeightShape);
        return e;
    }

    /** The per-channel constant of the next parametric ReLU decomposition. */
    public TfliteTensor takeSlope(int channels) {
        TfliteTensor slope = take(TfliteOperator.MUL).weight();
        slope.requireShape(channels);
        return slope;
    }

    /** Fails unless every weight of the file was taken: a port that skips a layer is wrong. */
    public void requireExhausted() {
        if (next != entries.size()) {
            throw new IllegalStateException((entries.size() - next) + " weighted operators left unused, next: "
                    + entries.get(next).weight().name());
        }
    }

    private Entry take(int builtinCode) {
        if (next >= entries.size()) {
            throw new IllegalStateException("no weighted operator left; expected op code " + builtinCode);
        }
        Entry e = entries.get(next++);
        if (e.builtinCode() != builtinCode) {
            throw new IllegalStateException("expected op code " + builtinCode + " but operator " + (next - 1)
                    + " is " + e.builtinCode() + " (" + e.weight().name() + ")");
        }
        return e;
    }
}
