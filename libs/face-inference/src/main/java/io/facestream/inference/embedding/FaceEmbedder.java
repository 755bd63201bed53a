package io.facestream.inference.embedding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.facestream.core.similarity.Embedding;
import io.facestream.inference.model.Network;
import io.facestream.vision.tensor.ImageTensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.opencv.core.Mat;

/**
 * Turns aligned 112×112 RGB face crops into L2-normalised 192-d embeddings with MobileFaceNet, any
 * number of faces per call (split into batches of {@code maxBatch}). Thread-safe.
 */
public final class FaceEmbedder {

    private static final int SIZE = MobileFaceNet.INPUT_SIZE;
    /**
     * Largest batch one forward pass takes on a CPU. MobileFaceNet is bound by memory traffic there (its depthwise
     * layers do little arithmetic per byte), and 16 faces' activations stay nearer the caches than 32's: batch 32 run
     * as two passes of 16 embedded 1.3x the faces per second of one pass of 32 on this project's machine (README,
     * "Performance"). A GPU takes the whole batch.
     */
    public static final int CPU_PASS = 16;

    private final Network network;
    private final int maxBatch;
    private final int pass;

    public FaceEmbedder(Network network, int maxBatch) {
        this(network, maxBatch, network.device().isGpu() ? maxBatch : Math.min(maxBatch, CPU_PASS));
    }

    /** As the two-argument constructor, with the largest forward pass given ({@code bench} compares them). */
    public FaceEmbedder(Network network, int maxBatch, int pass) {
        if (maxBatch < 1 || pass < 1) {
            throw new IllegalArgumentException("maxBatch and pass must be positive, got " + maxBatch + ", " + pass);
        }
        this.network = network;
        this.maxBatch = maxBatch;
        this.pass = Math.min(pass, maxBatch);
    }

    public List<Embedding> embed(List<Mat> alignedFaces) {
        List<Embedding> out = new ArrayList<>(alignedFaces.size());
        for (float[] raw : embedRaw(alignedFaces)) {
            out.add(Embedding.normalise(raw));
        }
        return out;
    }

    public Embedding embed(Mat alignedFace) {
        return embed(List.of(alignedFace)).get(0);
    }

    /** Raw (not normalised) network outputs, one 192-float row per face. */
    public List<float[]> embedRaw(List<Mat> alignedFaces) {
        List<float[]> out = new ArrayList<>(alignedFaces.size());
        for (int start = 0; start < alignedFaces.size(); start += maxBatch) {
            List<Mat> batch = alignedFaces.subList(start, Math.min(alignedFaces.size(), start + maxBatch));
            int per = SIZE * SIZE * 3;
            float[] pixels = new float[batch.size() * per];
            for (int i = 0; i < batch.size(); i++) {
                Mat face = batch.get(i);
                if (face.cols() != SIZE || face.rows() != SIZE) {
                    throw new IllegalArgumentException("aligned faces must be " + SIZE + "×" + SIZE + ", got "
                            + face.cols() + "×" + face.rows());
                }
                ImageTensors.normalisedHwc(face, pixels, i * per);
            }
            for (int from = 0; from < batch.size(); from += pass) {
                int n = Math.min(pass, batch.size() - from);
                float[] part = n == batch.size() ? pixels : Arrays.copyOfRange(pixels, from * per, (from + n) * per);
                out.addAll(forward(part, n));
            }
        }
        return out;
    }

    /** Runs the network on normalised NHWC pixels of {@code n} faces. */
    public List<float[]> forward(float[] normalisedNhwc, int n) {
        try (NDManager m = network.newCallManager()) {
            NDArray input = m.create(normalisedNhwc, new Shape(n, SIZE, SIZE, 3)).transpose(0, 3, 1, 2);
            float[] flat = network.forward(m, input).singletonOrThrow().toFloatArray();
            List<float[]> rows = new ArrayList<>(n);
            int d = MobileFaceNet.EMBEDDING_SIZE;
            for (int i = 0; i < n; i++) {
                float[] row = new float[d];
                System.arraycopy(flat, i * d, row, 0, d);
                rows.add(row);
            }
            return rows;
        }
    }
}
