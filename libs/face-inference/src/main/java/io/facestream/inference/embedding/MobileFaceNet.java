package io.facestream.inference.embedding;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import io.facestream.inference.model.Network;
import io.facestream.inference.nn.Chain;
import io.facestream.inference.nn.ChannelPrelu;
import io.facestream.inference.nn.TfConv2d;
import io.facestream.inference.nn.TfPadding;
import io.facestream.inference.tflite.WeightSequence;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * MobileFaceNet (TF-slim variant, 192-d) as a DJL block. Input: aligned 112×112 RGB faces normalised to
 * {@code (v − 127.5)/128}, NCHW {@code [N, 3, 112, 112]} (not transposed). Output: raw embeddings
 * {@code [N, 192]} (not normalised).
 *
 * <p>Stages, named so training can freeze them, input side first: {@code stem}, {@code block01} …
 * {@code block15} (inverted residual bottlenecks), {@code head} (1×1 to 512, 7×7 global depthwise, two
 * linear 1×1 convolutions). Parameter names are {@code <stage>_<layer>_<parameter>}, e.g.
 * {@code block07_expand_weight}.
 */
public final class MobileFaceNet {

    public static final int INPUT_SIZE = 112;
    public static final int EMBEDDING_SIZE = 192;
    /** The model's name on the {@code models} topic and in the model store. */
    public static final String MODEL_NAME = "mobilefacenet";

    /** (input channels, expanded channels, output channels, stride) of each bottleneck, in order. */
    private static final int[][] BOTTLENECKS = {
        {64, 128, 64, 2}, {64, 128, 64, 1}, {64, 128, 64, 1}, {64, 128, 64, 1}, {64, 128, 64, 1},
        {64, 256, 128, 2}, {128, 256, 128, 1}, {128, 256, 128, 1}, {128, 256, 128, 1}, {128, 256, 128, 1},
        {128, 256, 128, 1}, {128, 256, 128, 1},
        {128, 512, 128, 2}, {128, 256, 128, 1}, {128, 256, 128, 1},
    };

    private MobileFaceNet() {
    }

    /**
     * Opens a MobileFaceNet artifact: the pre-trained {@code .tflite} file, or a parameter file of a
     * fine-tuned version ({@link Network#saveParameters}).
     */
    public static Network open(Path artifact, Device device) {
        return artifact.getFileName().toString().endsWith(".tflite")
                ? Network.fromTflite(MODEL_NAME, build(), artifact, device, MobileFaceNet::load)
                : Network.fromParameters(MODEL_NAME, build(), artifact, device);
    }

    /** A new, unloaded network. */
    public static Chain build() {
        Chain net = new Chain();
        net.add("stem", new Chain()
                .add("conv", TfConv2d.dense(3, 64, 3, 2, TfPadding.SAME))
                .add("conv_prelu", new ChannelPrelu(64))
                .add("depthwise", TfConv2d.depthwise(64, 3, 1, TfPadding.SAME))
                .add("depthwise_prelu", new ChannelPrelu(64))
                .add("project", TfConv2d.dense(64, 64, 1, 1, TfPadding.SAME)));
        for (int i = 0; i < BOTTLENECKS.length; i++) {
            int[] b = BOTTLENECKS[i];
            net.add(stageName(i + 1), bottleneck(b[0], b[1], b[2], b[3]));
        }
        net.add("head", new Chain()
                .add("expand", TfConv2d.dense(128, 512, 1, 1, TfPadding.SAME))
                .add("expand_prelu", new ChannelPrelu(512))
                .add("gdconv", TfConv2d.depthwise(512, 7, 1, TfPadding.VALID))
                .add("linear", TfConv2d.dense(512, 512, 1, 1, TfPadding.VALID))
                .add("embedding", TfConv2d.dense(512, EMBEDDING_SIZE, 1, 1, TfPadding.VALID)));
        net.add("flatten", Blocks.batchFlattenBlock());
        return net;
    }

    /** Names of the trainable stages, input side first. */
    public static List<String> stageNames() {
        List<String> names = new ArrayList<>();
        names.add("stem");
        for (int i = 1; i <= BOTTLENECKS.length; i++) {
            names.add(stageName(i));
        }
        names.add("head");
        return names;
    }

    private static String stageName(int index) {
        return String.format("block%02d", index);
    }

    /** Inverted residual: 1×1 expand + PReLU, 3×3 depthwise + PReLU, linear 1×1 projection (+ input). */
    private static Chain bottleneck(int in, int expanded, int out, int stride) {
        Chain c = new Chain()
                .add("expand", TfConv2d.dense(in, expanded, 1, 1, TfPadding.SAME))
                .add("expand_prelu", new ChannelPrelu(expanded))
                .add("depthwise", TfConv2d.depthwise(expanded, 3, stride, TfPadding.SAME))
                .add("depthwise_prelu", new ChannelPrelu(expanded))
                .add("project", TfConv2d.dense(expanded, out, 1, 1, TfPadding.SAME));
        return stride == 1 && in == out ? c.residual() : c;
    }

    /** Loads the weights of {@code MobileFaceNet.tflite} into a network from {@link #build()}. */
    public static void load(Chain network, WeightSequence weights, NDManager manager) {
        loadChain(network, weights, manager);
        weights.requireExhausted();
    }

    private static void loadChain(Chain chain, WeightSequence w, NDManager m) {
        for (Block b : chain.getChildren().values()) {
            if (b instanceof TfConv2d conv) {
                conv.load(w, m);
            } else if (b instanceof ChannelPrelu prelu) {
                // The file computes relu(x) + m·(x − |x|) = relu(x) + 2m·min(x, 0): alpha = 2 × stored m.
                prelu.load(w, m, 2f);
            } else if (b instanceof Chain c) {
                loadChain(c, w, m);
            }
        }
    }
}
