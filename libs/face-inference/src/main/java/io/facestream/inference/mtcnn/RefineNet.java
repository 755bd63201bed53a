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
import io.facestream.inference.nn.Dense;
import io.facestream.inference.nn.TfConv2d;
import io.facestream.inference.nn.TfMaxPool2d;
import io.facestream.inference.nn.TfPadding;
import io.facestream.inference.tflite.WeightSequence;
import java.util.ArrayList;
import java.util.List;

/**
 * The second and third MTCNN stages, RNet (24×24 crops) and ONet (48×48 crops): a convolutional trunk, a
 * fully connected layer fed by the flattened trunk, and linear heads. Input {@code [N, 3, W, H]} (width and
 * height swapped, as for PNet). Outputs: face probability {@code [N, 2]}, box regression {@code [N, 4]}
 * and, for ONet, five landmarks {@code [N, 10]} as x1..x5, y1..y5 fractions of the crop.
 */
public final class RefineNet extends AbstractBlock {

    private final int inputSize;
    private final Chain trunk;
    private final int[] flatShape;
    private final Dense fc;
    private final ChannelPrelu fcPrelu;
    private final List<Dense> heads = new ArrayList<>();

    private RefineNet(int inputSize, Chain trunk, int[] flatShape, int fcUnits, int... headUnits) {
        this.inputSize = inputSize;
        this.trunk = trunk;
        this.flatShape = flatShape;
        int flat = flatShape[0] * flatShape[1] * flatShape[2];
        this.fc = new Dense(flat, fcUnits);
        this.fcPrelu = new ChannelPrelu(fcUnits);
        addChildBlock("trunk", trunk);
        addChildBlock("fc", fc);
        addChildBlock("fc_prelu", fcPrelu);
        for (int i = 0; i < headUnits.length; i++) {
            heads.add(addChildBlock("head" + (i + 1), new Dense(fcUnits, headUnits[i])));
        }
    }

    /** RNet: 24×24 input → probability, regression. */
    public static RefineNet rnet() {
        Chain trunk = new Chain()
                .add("conv1", TfConv2d.dense(3, 28, 3, 1, TfPadding.VALID))
                .add("prelu1", new ChannelPrelu(28))
                .add("pool1", new TfMaxPool2d(3, 2, TfPadding.SAME))
                .add("conv2", TfConv2d.dense(28, 48, 3, 1, TfPadding.VALID))
                .add("prelu2", new ChannelPrelu(48))
                .add("pool2", new TfMaxPool2d(3, 2, TfPadding.VALID))
                .add("conv3", TfConv2d.dense(48, 64, 2, 1, TfPadding.VALID))
                .add("prelu3", new ChannelPrelu(64));
        return new RefineNet(24, trunk, new int[] {3, 3, 64}, 128, 2, 4);
    }

    /** ONet: 48×48 input → probability, regression, landmarks. */
    public static RefineNet onet() {
        Chain trunk = new Chain()
                .add("conv1", TfConv2d.dense(3, 32, 3, 1, TfPadding.VALID))
                .add("prelu1", new ChannelPrelu(32))
                .add("pool1", new TfMaxPool2d(3, 2, TfPadding.SAME))
                .add("conv2", TfConv2d.dense(32, 64, 3, 1, TfPadding.VALID))
                .add("prelu2", new ChannelPrelu(64))
                .add("pool2", new TfMaxPool2d(3, 2, TfPadding.VALID))
                .add("conv3", TfConv2d.dense(64, 64, 3, 1, TfPadding.VALID))
                .add("prelu3", new ChannelPrelu(64))
                .add("pool3", new TfMaxPool2d(2, 2, TfPadding.SAME))
                .add("conv4", TfConv2d.dense(64, 128, 2, 1, TfPadding.VALID))
                .add("prelu4", new ChannelPrelu(128));
        return new RefineNet(48, trunk, new int[] {3, 3, 128}, 256, 2, 4, 10);
    }

    public int inputSize() {
        return inputSize;
    }

    /** Loads the weights of {@code rnet.tflite} or {@code onet.tflite}, checking every layer's shape. */
    public void load(WeightSequence w, NDManager m) {
        MtcnnLoading.loadTrunk(trunk, w, m);
        fc.loadAfterFlatten(w, m, flatShape[0], flatShape[1], flatShape[2]);
        fcPrelu.load(w, m, 1f);
        for (Dense head : heads) {
            head.load(w, m);
        }
        w.requireExhausted();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList features = trunk.forward(store, inputs, training, params);
        NDList hidden = fc.forward(store, features, training, params);
        NDList activated = fcPrelu.forward(store, hidden, training, params);
        NDList out = new NDList();
        for (int i = 0; i < heads.size(); i++) {
            NDArray y = heads.get(i).forward(store, activated, training, params).singletonOrThrow();
            if (i == 0) {
                NDArray probability = y.softmax(1);
                if (!training) {
                    y.close();
                }
                y = probability;
            }
            out.add(y);
        }
        if (!training) {
            features.close();
            hidden.close();
            activated.close();
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        return heads.stream().map(h -> new Shape(n, h.getOutputShapes(new Shape[] {new Shape(n, 1)})[0].get(1)))
                .toArray(Shape[]::new);
    }
}
