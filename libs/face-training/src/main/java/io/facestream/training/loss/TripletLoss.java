package io.facestream.training.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;

/**
 * Triplet margin loss on L2-normalised embeddings with cosine distance {@code d = 1 − cos}:
 * {@code mean over anchors of max(0, d(a, p) − d(a, n) + margin)}.
 *
 * <p>For each anchor of the batch: the positive is the hardest (least similar) other example of its class in
 * the batch; the negative is the hardest (most similar) of the anchor identity's own hard negatives — faces an
 * operator said are <em>not</em> that person — when any were given, else the hardest in-batch example of
 * another class. Anchors without a positive or without any negative do not count. The choice of partners
 * is made on values (no gradient flows through an argmax anyway); the loss itself is differentiable in
 * all embeddings involved.
 */
public final class TripletLoss {

    private final float margin;

    public TripletLoss(float margin) {
        if (!(margin >= 0)) {
            throw new IllegalArgumentException("margin must be non-negative, got " + margin);
        }
        this.margin = margin;
    }

    public float margin() {
        return margin;
    }

    /**
     * @param embeddings        {@code [N, D]} batch embeddings (raw; normalised here)
     * @param labels            class of each batch row
     * @param negatives         {@code [M, D]} hard-negative embeddings (raw), or {@code null} for none
     * @param negativeOwners    for each negative row, the class it is <em>not</em>
     * @return a scalar; 0 when no anchor has both a positive and a negative
     */
    public NDArray evaluate(NDArray embeddings, int[] labels, NDArray negatives, int[] negativeOwners) {
        int n = labels.length;
        int m = negatives == null ? 0 : negativeOwners.length;
        NDArray batch = normalised(embeddings);
        NDArray candidates = m == 0 ? batch : batch.concat(normalised(negatives), 0);
        float[] cos = batch.matMul(candidates.transpose()).toFloatArray(); // [N, N + M], row-major
        int width = n + m;
        List<Integer> anchors = new ArrayList<>();
        List<Integer> positives = new ArrayList<>();
        List<Integer> chosenNegatives = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            int p = -1, hard = -1, inBatch = -1;
            for (int j = 0; j < n; j++) {
                if (j == a) {
                    continue;
                }
                float c = cos[a * width + j];
                if (labels[j] == labels[a]) {
                    p = p < 0 || c < cos[a * width + p] ? j : p;
                } else {
                    inBatch = inBatch < 0 || c > cos[a * width + inBatch] ? j : inBatch;
                }
            }
            for (int k = 0; k < m; k++) {
                if (negativeOwners[k] == labels[a]) {
                    float c = cos[a * width + n + k];
                    hard = hard < 0 || c > cos[a * width + hard] ? n + k : hard;
                }
            }
            int neg = hard >= 0 ? hard : inBatch;
            if (p >= 0 && neg >= 0) {
                anchors.add(a);
                positives.add(p);
                chosenNegatives.add(neg);
            }
        }
        NDManager manager = embeddings.getManager();
        if (anchors.isEmpty()) {
            return manager.zeros(new ai.djl.ndarray.types.Shape()).toType(embeddings.getDataType(), false);
        }
        NDArray a = batch.get(indices(manager, anchors));
        NDArray p = candidates.get(indices(manager, positives));
        NDArray q = candidates.get(indices(manager, chosenNegatives));
        NDArray cosAp = a.mul(p).sum(new int[] {1});
        NDArray cosAn = a.mul(q).sum(new int[] {1});
        // d(a,p) − d(a,n) + margin = (1 − cos_ap) − (1 − cos_an) + margin = cos_an − cos_ap + margin
        return cosAn.sub(cosAp).add(margin).maximum(0f).mean();
    }

    /** Rows scaled to unit length ({@code x / max(‖x‖, 1e-12)}). */
    public static NDArray normalised(NDArray x) {
        return x.div(x.norm(new int[] {1}, true).maximum(1e-12f));
    }

    private static NDArray indices(NDManager manager, List<Integer> rows) {
        long[] idx = rows.stream().mapToLong(Integer::longValue).toArray();
        return manager.create(idx).toType(DataType.INT64, false);
    }
}
