package io.facestream.training.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.facestream.training.loss.TripletLoss;

/**
 * The temporary classification head of fine-tuning: the cosine between the L2-normalised embedding and one
 * L2-normalised weight vector per class, {@code [N, classes]} in [−1, 1]. Scaling (and a margin) is left to
 * the loss. A cosine head rather than a linear one because the model is used by cosine at match time: a
 * linear head can lower its loss by growing or shrinking embedding norms, which matching never sees, while
 * a cosine head can only lower it by turning embeddings towards their class and away from the others.
 * Parameter {@code weight} {@code [classes, dimension]}.
 */
public final class CosineClassifier extends AbstractBlock {

    private final int classes;
    private final int dimension;
    private final Parameter weight;

    public CosineClassifier(int classes, int dimension) {
        this.classes = classes;
        this.dimension = dimension;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(classes, dimension)).build());
    }

    /** Sets the class vectors, e.g. to each class's mean embedding ("imprinting"), row-major {@code [classes, dimension]}. */
    public void setWeights(float[] rowMajor) {
        if (rowMajor.length != classes * dimension) {
            throw new IllegalArgumentException("expected " + classes + "×" + dimension + " weights");
        }
        weight.getArray().set(rowMajor);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = store.getValue(weight, x.getDevice(), training);
        return new NDList(TripletLoss.normalised(x).matMul(TripletLoss.normalised(w).transpose()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), classes)};
    }
}
