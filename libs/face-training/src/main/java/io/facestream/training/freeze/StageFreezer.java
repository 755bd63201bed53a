package io.facestream.training.freeze;

import ai.djl.nn.Block;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.inference.nn.Chain;
import java.util.ArrayList;
import java.util.List;

/**
 * Freezes the early stages of MobileFaceNet for fine-tuning: generic low-level features stay as pre-trained,
 * the last stages adapt. Stages are named as in {@link MobileFaceNet#stageNames()}.
 */
public final class StageFreezer {

    private StageFreezer() {
    }

    /**
     * Freezes every stage from {@code stem} up to and including {@code lastFrozen}, and unfreezes the rest.
     *
     * @return the frozen stage names, input side first
     * @throws IllegalArgumentException for an unknown stage name
     */
    public static List<String> freezeThrough(Chain network, String lastFrozen) {
        List<String> stages = MobileFaceNet.stageNames();
        int last = stages.indexOf(lastFrozen);
        if (last < 0) {
            throw new IllegalArgumentException("no stage '" + lastFrozen + "'; stages are " + stages);
        }
        List<String> frozen = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            Block stage = network.getChildren().get(stages.get(i));
            stage.freezeParameters(i <= last);
            if (i <= last) {
                frozen.add(stages.get(i));
            }
        }
        return frozen;
    }
}
