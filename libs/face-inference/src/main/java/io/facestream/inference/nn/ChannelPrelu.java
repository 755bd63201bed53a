package io.facestream.inference.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.facestream.inference.tflite.WeightSequence;

/**
 * Parametric ReLU with one slope per channel: {@code relu(x) + alpha · min(x, 0)}. DJL's own {@code Prelu}
 * holds a single scalar and the PyTorch engine does not implement {@code prelu}, hence this block.
 * Parameter: {@code alpha} [C] (type OTHER, so weight initialisers that need 2-D shapes leave it alone).
 */
public final class ChannelPrelu extends AbstractBlock {

    private final int channels;
    private final Parameter alpha;

    public ChannelPrelu(int channels) {
        this.channels = channels;
        alpha = addParameter(Parameter.builder().setName("alpha").setType(Parameter.Type.OTHER).build());
    }

    /**
     * Copies the slope of the next PReLU decomposition. MTCNN stores alpha itself; MobileFaceNet computes
     * {@code relu(x) + m·(x − |x|)}, i.e. stores {@code m = alpha / 2}, so its slope is scaled by 2.
     */
    public void load(WeightSequence weights, NDManager manager, float storedToAlpha) {
        float[] stored = weights.takeSlope(channels).data();
        float[] a = new float[stored.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = stored[i] * storedToAlpha;
        }
        alpha.setArray(manager.create(a, new Shape(channels)));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray a = store.getValue(alpha, x.getDevice(), training);
        Shape broadcast = x.getShape().dimension() == 4 ? new Shape(1, channels, 1, 1) : new Shape(1, channels);
        if (training) {
            return new NDList(Activation.relu(x).add(x.minimum(0f).mul(a.reshape(broadcast))));
        }
        // Inference: x − (1 − alpha)·min(x, 0), one temporary and in place on x, which the caller hands
        // over (three passes over memory instead of four, one allocation instead of two).
        NDArray negative = x.minimum(0f);
        NDArray y = x.subi(negative.muli(a.reshape(broadcast).neg().addi(1f)));
        negative.close();
        return new NDList(y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
