package io.facestream.inference.mtcnn;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.facestream.inference.nn.ChannelPrelu;
import io.facestream.inference.nn.Chain;
import io.facestream.inference.nn.Dense;
import io.facestream.inference.nn.TfConv2d;
import io.facestream.inference.tflite.WeightSequence;

/** Loads a chain of MTCNN layers in declaration order; MTCNN stores PReLU slopes as they are. */
final class MtcnnLoading {

    private MtcnnLoading() {
    }

    static void loadTrunk(Chain chain, WeightSequence w, NDManager m) {
        for (Block b : chain.getChildren().values()) {
            if (b instanceof TfConv2d conv) {
                conv.load(w, m);
            } else if (b instanceof ChannelPrelu prelu) {
                prelu.load(w, m, 1f);
            } else if (b instanceof Dense dense) {
                dense.load(w, m);
            }
        }
    }
}
