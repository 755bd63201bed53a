package io.facestream.inference.mtcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.facestream.inference.model.Network;
import io.facestream.vision.tensor.ImageTensors;
import java.util.List;
import org.opencv.core.Mat;

/**
 * MTCNN on the DJL/PyTorch port ({@link PNet}, {@link RefineNet}): the networks the golden tests check layer by
 * layer, and the detector's engine on a GPU. The networks belong to their {@code FaceModels}; closing this closes
 * nothing.
 */
public final class DjlMtcnnNetworks implements MtcnnNetworks {

    private final Network pnet;
    private final Network rnet;
    private final Network onet;

    public DjlMtcnnNetworks(Network pnet, Network rnet, Network onet) {
        this.pnet = pnet;
        this.rnet = rnet;
        this.onet = onet;
    }

    @Override
    public PnetOutput pnet(Mat level) {
        int w = level.cols(), h = level.rows();
        float[] pixels = ImageTensors.normalisedHwc(level);
        try (NDManager m = pnet.newCallManager()) {
            // [1, H, W, 3] → [1, 3, W, H]: the MTCNN weights expect width and height swapped.
            NDArray input = m.create(pixels, new Shape(1, h, w, 3)).transpose(0, 3, 2, 1);
            NDList out = pnet.forward(m, input);
            int outW = (int) out.get(0).getShape().get(2);
            int outH = (int) out.get(0).getShape().get(3);
            float[] prob = out.get(0).get(0, 1).toFloatArray();
            float[] planes = out.get(1).get(0).toFloatArray();
            int cells = outW * outH;
            float[] reg = new float[4 * cells];
            for (int i = 0; i < cells; i++) {
                for (int k = 0; k < 4; k++) {
                    reg[4 * i + k] = planes[k * cells + i];
                }
            }
            return new PnetOutput(outW, outH, prob, reg);
        }
    }

    @Override
    public StageOutput rnet(List<Mat> crops) {
        return stage(rnet, 24, crops);
    }

    @Override
    public StageOutput onet(List<Mat> crops) {
        return stage(onet, 48, crops);
    }

    private static StageOutput stage(Network net, int size, List<Mat> crops) {
        int n = crops.size();
        int per = size * size * 3;
        float[] pixels = new float[n * per];
        for (int i = 0; i < n; i++) {
            ImageTensors.normalisedHwc(crops.get(i), pixels, i * per);
        }
        try (NDManager m = net.newCallManager()) {
            NDArray input = m.create(pixels, new Shape(n, size, size, 3)).transpose(0, 3, 2, 1);
            NDList out = net.forward(m, input);
            float[] twoClass = out.get(0).toFloatArray();
            float[] prob = new float[n];
            for (int i = 0; i < n; i++) {
                prob[i] = twoClass[2 * i + 1];
            }
            return new StageOutput(n, prob, out.get(1).toFloatArray(), out.size() > 2 ? out.get(2).toFloatArray() : null);
        }
    }

    @Override
    public String engine() {
        return "pytorch";
    }

    @Override
    public void close() {
    }
}
