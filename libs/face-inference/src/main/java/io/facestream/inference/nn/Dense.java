package io.facestream.inference.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.facestream.inference.tflite.TfliteLayouts;
import io.facestream.inference.tflite.TfliteOperator;
import io.facestream.inference.tflite.WeightSequence;

/**
 * A fully connected layer on a flattened input. Parameters: {@code weight} [out, in], {@code bias} [out].
 * A 4-D input is flattened in NCHW order; TFLite flattened NHWC, so such weights are permuted on load.
 */
public final class Dense extends AbstractBlock {

    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;

    public Dense(int in, int out) {
        this.in = in;
        this.out = out;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build());
    }

    /** Loads a layer whose input is a plain vector. */
    public void load(WeightSequence weights, NDManager manager) {
        WeightSequence.Entry e = weights.takeLayer(TfliteOperator.FULLY_CONNECTED, out, in);
        set(manager, e.weight().data(), e.bias().data());
    }

    /** Loads a layer that TFLite fed with a flattened {@code [H, W, C]} activation. */
    public void loadAfterFlatten(WeightSequence weights, NDManager manager, int height, int width, int channels) {
        WeightSequence.Entry e = weights.takeLayer(TfliteOperator.FULLY_CONNECTED, out, in);
        set(manager, TfliteLayouts.denseFromNhwcFlatten(e.weight(), height, width, channels), e.bias().data());
    }

    private void set(NDManager manager, float[] w, float[] b) {
        weight.setArray(manager.create(w, new Shape(out, in)));
        bias.setArray(manager.create(b, new Shape(out)));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray flat = x.getShape().dimension() == 2 ? x : x.reshape(x.getShape().get(0), -1);
        NDArray w = store.getValue(weight, x.getDevice(), training);
        NDArray b = store.getValue(bias, x.getDevice(), training);
        NDArray y = flat.matMul(w.transpose());
        return new NDList(training ? y.add(b) : y.addi(b));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), out)};
    }
}
