package io.facestream.inference.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Square max pooling with TensorFlow padding; SAME pads with −∞ so padding never wins the max. */
public final class TfMaxPool2d extends AbstractBlock {

    private final int kernel;
    private final int stride;
    private final TfPadding padding;

    public TfMaxPool2d(int kernel, int stride, TfPadding padding) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray padded = padding.apply(x, kernel, stride, Double.NEGATIVE_INFINITY);
        NDArray y = Pool.maxPool2d(padded, new Shape(kernel, kernel), new Shape(stride, stride), new Shape(0, 0),
                false);
        if (padded != x && !training) {
            padded.close();
        }
        return new NDList(y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), padding.outputSize(s.get(2), kernel, stride),
                padding.outputSize(s.get(3), kernel, stride))};
    }
}
