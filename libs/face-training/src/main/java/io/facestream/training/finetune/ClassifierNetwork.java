package io.facestream.training.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.inference.nn.Chain;
import java.util.ArrayList;
import java.util.List;

/**
 * MobileFaceNet plus a classification head, for fine-tuning. Outputs {@code [embeddings [N, 192], cosines
 * [N, classes]]}. The frozen stages run in inference mode even during training: nothing before the first
 * trainable stage needs a gradient, so their activations are freed as soon as the next one exists (as in
 * inference) instead of being kept for a backward pass that never reaches them. That roughly halves the
 * memory and time of a step with the default freeze depth.
 */
final class ClassifierNetwork extends AbstractBlock {

    private final Chain backbone;
    private final CosineClassifier head;
    private final int firstTrainable;

    /**
     * @param lastFrozen the last frozen stage as named by {@link MobileFaceNet#stageNames()} (the caller
     *                   freezes its parameters)
     */
    ClassifierNetwork(Chain backbone, CosineClassifier head, String lastFrozen) {
        this.backbone = addChildBlock("backbone", backbone);
        this.head = addChildBlock("head", head);
        this.firstTrainable = MobileFaceNet.stageNames().indexOf(lastFrozen) + 1;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList current = inputs;
        List<Block> stages = new ArrayList<>(backbone.getChildren().values());
        for (int i = 0; i < stages.size(); i++) {
            boolean frozen = i < firstTrainable;
            NDList next = stages.get(i).forward(store, current, training && !frozen, params);
            if (frozen && current != inputs) {
                for (NDArray a : current) {
                    if (next.stream().noneMatch(n -> n == a)) {
                        a.close();
                    }
                }
            }
            current = next;
        }
        NDArray embeddings = current.singletonOrThrow();
        NDArray cosines = head.forward(store, current, training, params).singletonOrThrow();
        return new NDList(embeddings, cosines);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] embedding = backbone.getOutputShapes(inputShapes);
        return new Shape[] {embedding[0], head.getOutputShapes(embedding)[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes);
        head.initialize(manager, dataType, backbone.getOutputShapes(inputShapes));
    }
}
