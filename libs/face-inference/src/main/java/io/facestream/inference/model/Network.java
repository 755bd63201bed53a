package io.facestream.inference.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.facestream.inference.tflite.TfliteFile;
import io.facestream.inference.tflite.WeightSequence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * One DJL network with its weights loaded once. Inference is thread-safe: each call brings its own
 * {@link NDManager}, which owns every tensor of that call, and the parameters are only read.
 */
public final class Network implements AutoCloseable {

    private final Model model;
    private final Block block;

    private Network(Model model, Block block) {
        this.model = model;
        this.block = block;
    }

    /**
     * Builds a network on {@code device} and fills it from a TFLite file with {@code loader}, which takes
     * the file's weights in operator order.
     */
    public static <B extends Block> Network fromTflite(String name, B block, Path tflite, Device device,
            LayerLoader<B> loader) {
        Model model = Model.newInstance(name, device, "PyTorch");
        try {
            loader.load(block, WeightSequence.of(TfliteFile.read(tflite)), model.getNDManager());
            model.setBlock(block);
            return new Network(model, block);
        } catch (IOException e) {
            model.close();
            throw new UncheckedIOException("cannot read " + tflite, e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Loads weights into a freshly built block. */
    @FunctionalInterface
    public interface LayerLoader<B extends Block> {
        void load(B block, WeightSequence weights, NDManager manager);
    }

    /** Runs the network in inference mode; the outputs belong to {@code manager}. */
    public NDList forward(NDManager manager, NDArray input) {
        return block.forward(new ParameterStore(manager, false), new NDList(input), false);
    }

    public Device device() {
        return model.getNDManager().getDevice();
    }

    /** A manager for one call's tensors, on this network's device. */
    public NDManager newCallManager() {
        return model.getNDManager().newSubManager();
    }

    public Model model() {
        return model;
    }

    public Block block() {
        return block;
    }

    @Override
    public void close() {
        model.close();
    }
}
