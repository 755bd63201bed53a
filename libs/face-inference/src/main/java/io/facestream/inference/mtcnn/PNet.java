package io.facestream.inference.mtcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.facestream.inference.nn.Chain;
import io.facestream.inference.nn.ChannelPrelu;
import io.facestream.inference.nn.TfConv2d;
import io.facestream.inference.nn.TfMaxPool2d;
import io.facestream.inference.nn.TfPadding;
import io.facestream.inference.tflite.WeightSequence;

/**
 * MTCNN proposal network, fully convolutional. Input: a normalised image as NCHW with width and height
 * swapped, {@code [N, 3, W, H]} (the weights were trained that way). Outputs: face probability
 * {@code [N, 2, W', H']} (index 1 = face) and box regression {@code [N, 4, W', H']}, each cell the 12×12
 * window at twice its coordinates.
 */
public final class PNet extends AbstractBlock {

    private final Chain trunk = new Chain()
            .add("conv1", TfConv2d.dense(3, 10, 3, 1, TfPadding.VALID))
            .add("prelu1", new ChannelPrelu(10))
            .add("pool1", new TfMaxPool2d(2, 2, TfPadding.SAME))
            .add("conv2", TfConv2d.dense(10, 16, 3, 1, TfPadding.VALID))
            .add("prelu2", new ChannelPrelu(16))
            .add("conv3", TfConv2d.dense(16, 32, 3, 1, TfPadding.VALID))
            .add("prelu3", new ChannelPrelu(32));
    private final TfConv2d score = TfConv2d.dense(32, 2, 1, 1, TfPadding.VALID);
    private final TfConv2d regression = TfConv2d.dense(32, 4, 1, 1, TfPadding.VALID);

    public PNet() {
        addChildBlock("trunk", trunk);
        addChildBlock("conv4_1", score);
        addChildBlock("conv4_2", regression);
    }

    /** Loads the weights of {@code pnet.tflite}, checking every layer's shape. */
    public void load(WeightSequence w, NDManager m) {
        MtcnnLoading.loadTrunk(trunk, w, m);
        score.load(w, m);
        regression.load(w, m);
        w.requireExhausted();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList features = trunk.forward(store, inputs, training, params);
        NDArray logits = score.forward(store, features, training, params).singletonOrThrow();
        NDArray reg = regression.forward(store, features, training, params).singletonOrThrow();
        NDArray prob = logits.softmax(1);
        if (!training) {
            features.close();
            logits.close();
        }
        return new NDList(prob, reg);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape f = trunk.getOutputShapes(inputShapes)[0];
        return new Shape[] {new Shape(f.get(0), 2, f.get(2), f.get(3)), new Shape(f.get(0), 4, f.get(2), f.get(3))};
    }
}
