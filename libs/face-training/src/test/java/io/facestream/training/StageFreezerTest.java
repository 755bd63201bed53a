package io.facestream.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.inference.model.Network;
import io.facestream.inference.nn.Chain;
import io.facestream.inference.testing.TestModels;
import io.facestream.training.freeze.StageFreezer;
import io.facestream.training.loss.WeightedSoftmaxCrossEntropy;
import io.facestream.training.weights.ClassWeights;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One fine-tuning step of the real MobileFaceNet with a new head: frozen stages stay, the rest moves. */
class StageFreezerTest {

    @Test
    void frozenParametersDoNotChangeInATrainingStepAndUnfrozenOnesDo() {
        try (Network pretrained = Network.fromTflite("mfn", MobileFaceNet.build(),
                TestModels.require("MobileFaceNet.tflite"), ai.djl.Device.cpu(), MobileFaceNet::load)) {
            Chain backbone = (Chain) pretrained.block();
            List<String> frozen = StageFreezer.freezeThrough(backbone, "block10");
            assertEquals(11, frozen.size(), "stem and block01..block10");
            Chain classifier = new Chain().add("backbone", backbone)
                    .add("head", Linear.builder().setUnits(3).build());
            try (Model model = Model.newInstance("fine-tune", ai.djl.Device.cpu(), "PyTorch")) {
                model.setBlock(classifier);
                WeightedSoftmaxCrossEntropy loss = new WeightedSoftmaxCrossEntropy("wce",
                        ClassWeights.balanced(new long[] {20, 4, 2}));
                DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                        .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).build());
                try (Trainer trainer = model.newTrainer(config)) {
                    trainer.initialize(new Shape(4, 3, 112, 112));
                    float[] frozenBefore = firstParameter(backbone.getChildren().get("block05"));
                    float[] trainedBefore = firstParameter(backbone.getChildren().get("block15"));
                    float[] headBefore = firstParameter(classifier.getChildren().get("head"));
                    float[] stemBefore = firstParameter(backbone.getChildren().get("stem"));
                    NDManager m = trainer.getManager();
                    NDArray x = m.randomUniform(-1, 1, new Shape(4, 3, 112, 112));
                    NDArray y = m.create(new float[] {0, 1, 2, 0});
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDArray scores = trainer.forward(new NDList(x)).singletonOrThrow();
                        gc.backward(loss.evaluate(new NDList(y), new NDList(scores)));
                    }
                    trainer.step();
                    assertArrayEquals(frozenBefore, firstParameter(backbone.getChildren().get("block05")), 0f);
                    assertArrayEquals(stemBefore, firstParameter(backbone.getChildren().get("stem")), 0f);
                    assertFalse(java.util.Arrays.equals(trainedBefore,
                            firstParameter(backbone.getChildren().get("block15"))), "block15 was trained");
                    assertFalse(java.util.Arrays.equals(headBefore, firstParameter(classifier.getChildren().get("head"))),
                            "the new head was trained");
                }
            }
        }
    }

    @Test
    void anUnknownStageIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> StageFreezer.freezeThrough(MobileFaceNet.build(), "block99"));
    }

    private static float[] firstParameter(Block block) {
        return block.getParameters().get(0).getValue().getArray().toFloatArray();
    }
}
