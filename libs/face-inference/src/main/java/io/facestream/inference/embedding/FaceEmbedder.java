package io.facestream.inference.embedding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.facestream.core.similarity.Embedding;
import io.facestream.inference.model.Network;
import io.facestream.vision.tensor.ImageTensors;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Mat;

/**
 * Turns aligned 112×112 RGB face crops into L2-normalised 192-d embeddings with MobileFaceNet, any
 * number of faces per call (split into batches of {@code maxBatch}). Thread-safe.
 */
public final class FaceEmbedder {

    private static final int SIZE = MobileFaceNet.INPUT_SIZE;

    private final Network network;
    private final int maxBatch;

    public FaceEmbedder(Network network, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be positive, got " + maxBatch);
        }
        this.network = network;
        this.maxBatch = maxBatch;
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
            out.addAll(forward(pixels, batch.size()));
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
