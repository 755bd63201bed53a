package io.facestream.inference.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.facestream.inference.tflite.TfliteLayouts;
import io.facestream.inference.tflite.TfliteOperator;
import io.facestream.inference.tflite.WeightSequence;
import java.util.Optional;

/**
 * A square-kernel 2-D convolution with TensorFlow padding semantics, dense or depthwise
 * ({@code groups == channels}). Parameters: {@code weight} [out, in/groups, k, k] and {@code bias} [out].
 */
public final class TfConv2d extends AbstractBlock {

    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int groups;
    private final TfPadding padding;
    private final Shape weightShape;
    private final Parameter weight;
    private final Parameter bias;

    private TfConv2d(int in, int out, int kernel, int stride, int groups, TfPadding padding) {
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.groups = groups;
        this.padding = padding;
        weightShape = new Shape(out, in / groups, kernel, kernel);
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build());
    }

    public static TfConv2d dense(int in, int out, int kernel, int stride, TfPadding padding) {
        return new TfConv2d(in, out, kernel, stride, 1, padding);
    }

    public static TfConv2d depthwise(int channels, int kernel, int stride, TfPadding padding) {
        return new TfConv2d(channels, channels, kernel, stride, channels, padding);
    }

    /** Copies this layer's weights from the next convolution of a TFLite graph. */
    public void load(WeightSequence weights, NDManager manager) {
        float[] kernelData;
        if (groups == 1) {
            WeightSequence.Entry e = weights.takeLayer(TfliteOperator.CONV_2D, out, kernel, kernel, in);
            kernelData = TfliteLayouts.convKernelToOihw(e.weight());
            set(manager, kernelData, e.bias().data());
        } else {
            WeightSequence.Entry e = weights.takeLayer(TfliteOperator.DEPTHWISE_CONV_2D, 1, kernel, kernel, out);
            kernelData = TfliteLayouts.depthwiseKernelToOihw(e.weight());
            set(manager, kernelData, e.bias().data());
        }
    }

    private void set(NDManager manager, float[] kernelData, float[] biasData) {
        weight.setArray(manager.create(kernelData, weightShape));
        bias.setArray(manager.create(biasData, new Shape(out)));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        // Symmetric padding goes through the convolution itself: a padded copy of a large activation costs
        // as much as the convolution. TF's asymmetric stride-2 padding still needs the copy.
        Optional<long[]> symmetric = padding.symmetricPads(x.getShape().get(2), x.getShape().get(3), kernel, stride);
        NDArray input = symmetric.isPresent() ? x : padding.apply(x, kernel, stride, 0);
        long[] pad = symmetric.orElse(new long[] {0, 0});
        NDArray w = store.getValue(weight, x.getDevice(), training);
        NDArray b = store.getValue(bias, x.getDevice(), training);
        NDList y = Conv2d.conv2d(input, w, b, new Shape(stride, stride), new Shape(pad[0], pad[1]), new Shape(1, 1),
                groups);
        if (input != x && !training) {
            input.close();
        }
        return y;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), out, padding.outputSize(s.get(2), kernel, stride),
                padding.outputSize(s.get(3), kernel, stride))};
    }
}
