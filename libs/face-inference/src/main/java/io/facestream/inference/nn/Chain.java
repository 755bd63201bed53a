package io.facestream.inference.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Named blocks applied one after the other. Unlike DJL's {@code SequentialBlock} it frees each
 * intermediate activation as soon as the next one exists when not training (children may update their
 * input in place then, since only the chain still holds it): native tensors otherwise live
 * until the caller's manager closes, which at batch 32 costs gigabytes and a third of the throughput.
 * Parameter names are {@code <child>_<parameter>}, e.g. {@code conv1_weight}. A residual chain adds its
 * input to its output (the shapes must agree).
 */
public final class Chain extends AbstractBlock {

    private boolean residual;

    /** Makes this chain a residual unit: output = layers(input) + input. */
    public Chain residual() {
        residual = true;
        return this;
    }

    /**
     * Appends a named child. Unlike {@code addChildBlock}, the name is kept as given (DJL would prefix an
     * ordinal, "03block02"), so stages and parameters are addressable by their plain names.
     */
    public Chain add(String name, Block block) {
        if (children.contains(name)) {
            throw new IllegalArgumentException("duplicate child name " + name);
        }
        children.add(name, block);
        return this;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList current = inputs;
        for (Block child : children.values()) {
            NDList next = child.forward(store, current, training, params);
            if (!training && current != inputs) {
                closeUnlessReturned(current, next);
            }
            current = next;
        }
        if (residual) {
            NDArray x = inputs.singletonOrThrow();
            NDArray y = current.singletonOrThrow();
            return new NDList(training ? y.add(x) : y.addi(x));
        }
        return current;
    }

    /** Frees a consumed activation, except arrays a child updated in place and returned. */
    private static void closeUnlessReturned(NDList consumed, NDList produced) {
        for (NDArray a : consumed) {
            if (produced.stream().noneMatch(p -> p == a)) {
                a.close();
            }
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block child : children.values()) {
            shapes = child.getOutputShapes(shapes);
        }
        return shapes;
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, ai.djl.ndarray.types.DataType dataType,
            Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block child : children.values()) {
            child.initialize(manager, dataType, shapes);
            shapes = child.getOutputShapes(shapes);
        }
    }
}
