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

    private static final String PARAMETERS_FORMAT = "facestream-parameters-v1";

    /**
     * Builds a network on {@code device} from parameters written by {@link #saveParameters} (e.g. a fine-tuned
     * model): same block structure, new values. Every parameter is matched by name, so a file for another
     * structure is refused instead of loaded out of place.
     */
    public static Network fromParameters(String name, Block block, Path parameters, Device device) {
        Model model = Model.newInstance(name, device, "PyTorch");
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(
                java.nio.file.Files.newInputStream(parameters)))) {
            if (!PARAMETERS_FORMAT.equals(in.readUTF())) {
                throw new IOException("not a FaceStream parameter file");
            }
            ai.djl.util.PairList<String, ai.djl.nn.Parameter> expected = block.getParameters();
            int count = in.readInt();
            if (count != expected.size()) {
                throw new IOException(count + " parameters in the file, the network has " + expected.size());
            }
            for (int i = 0; i < count; i++) {
                String key = in.readUTF();
                ai.djl.nn.Parameter p = expected.get(key);
                if (p == null) {
                    throw new IOException("the network has no parameter " + key);
                }
                p.load(model.getNDManager(), in);
            }
            model.setBlock(block);
            return new Network(model, block);
        } catch (IOException | ai.djl.MalformedModelException | RuntimeException e) {
            model.close();
            throw new UncheckedIOException(new IOException("cannot load parameters " + parameters + ": "
                    + e.getMessage(), e));
        }
    }

    /** Writes every parameter, by name, in the format {@link #fromParameters} reads. */
    public void saveParameters(Path file) throws IOException {
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(
                java.nio.file.Files.newOutputStream(file)))) {
            out.writeUTF(PARAMETERS_FORMAT);
            ai.djl.util.PairList<String, ai.djl.nn.Parameter> params = block.getParameters();
            out.writeInt(params.size());
            for (var entry : params) {
                out.writeUTF(entry.getKey());
                entry.getValue().save(out);
            }
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
