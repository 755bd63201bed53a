package io.facestream.training.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Softmax cross-entropy with a weight per class, averaged by the weights of the batch's targets:
 * {@code Σᵢ w[yᵢ] · (−log softmax(sᵢ)[yᵢ]) / Σᵢ w[yᵢ]} — PyTorch's {@code CrossEntropyLoss(weight=…)} with the
 * default mean reduction. Labels are class indices; predictions are unnormalised scores {@code [N, C]}.
 */
public final class WeightedSoftmaxCrossEntropy extends Loss {

    private final float[] classWeights;

    public WeightedSoftmaxCrossEntropy(String name, float[] classWeights) {
        super(name);
        this.classWeights = classWeights.clone();
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray scores = predictions.singletonOrThrow();
        NDArray targets = labels.singletonOrThrow().toType(ai.djl.ndarray.types.DataType.INT64, false)
                .reshape(-1, 1);
        NDArray nll = scores.logSoftmax(1).gather(targets, 1).neg().reshape(-1);
        NDArray w = scores.getManager().create(classWeights).gather(targets.reshape(-1), 0);
        return nll.mul(w).sum().div(w.sum());
    }
}
