package io.facestream.training.reference;

import io.facestream.core.evaluation.VerificationMetrics;
import io.facestream.core.similarity.Embedding;
import io.facestream.inference.evaluation.PairEvaluation;
import io.facestream.training.crop.FaceCropper;
import io.facestream.training.evaluation.CropEmbedder;
import io.facestream.vision.decode.DecodedImage;
import io.facestream.vision.decode.ImageDecodeException;
import io.facestream.vision.decode.ImageDecoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * A fixed verification set (pairs of photos, same person or not) for comparing models: every image is
 * detected and aligned once, at load, and each model then only embeds the stored crops. Scoring follows
 * {@link PairEvaluation}: a pair with an image where no face was found scores −1 ("different"). A
 * candidate model should not verify this set worse than the active one.
 */
public final class ReferencePairs {

    private static final int SIZE = 112;
    private static final int CHUNK = 64;

    private final List<PairEvaluation.Pair> pairs;
    /** RGB pixels of each image's aligned crop, by relative path; empty when no face was found. */
    private final Map<String, Optional<byte[]>> crops;
    private final List<String> unreadable;

    private ReferencePairs(List<PairEvaluation.Pair> pairs, Map<String, Optional<byte[]>> crops,
            List<String> unreadable) {
        this.pairs = List.copyOf(pairs);
        this.crops = crops;
        this.unreadable = List.copyOf(unreadable);
    }

    /**
     * Reads a pairs file ({@link PairEvaluation#readPairs} format, paths relative to {@code root}) and aligns
     * the largest face of each image once.
     *
     * @throws IllegalArgumentException for a file without pairs
     */
    public static ReferencePairs load(Path pairsFile, Path root, FaceCropper cropper, ImageDecoder decoder)
            throws IOException {
        List<PairEvaluation.Pair> pairs = PairEvaluation.readPairs(pairsFile);
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException(pairsFile + " lists no pairs");
        }
        Map<String, Optional<byte[]>> crops = new LinkedHashMap<>();
        List<String> unreadable = new ArrayList<>();
        for (PairEvaluation.Pair p : pairs) {
            for (String image : List.of(p.left(), p.right())) {
                if (!crops.containsKey(image)) {
                    crops.put(image, crop(root.resolve(image), cropper, decoder, unreadable));
                }
            }
        }
        return new ReferencePairs(pairs, crops, unreadable);
    }

    private static Optional<byte[]> crop(Path file, FaceCropper cropper, ImageDecoder decoder, List<String> unreadable) {
        try (DecodedImage image = decoder.read(file)) {
            return cropper.largestFace(image.rgb()).map(m -> {
                byte[] px = new byte[SIZE * SIZE * 3];
                m.get(0, 0, px);
                m.release();
                return px;
            });
        } catch (ImageDecodeException e) {
            unreadable.add(file + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The same pairs with every crop replaced by {@code transform} of it (e.g. a simulated low-resolution
     * camera). The transform gets a 112×112 RGB crop it must leave as is, and returns a new one of the same
     * shape, which this method releases.
     */
    public ReferencePairs withCrops(UnaryOperator<Mat> transform) {
        Map<String, Optional<byte[]>> mapped = new LinkedHashMap<>();
        crops.forEach((name, px) -> mapped.put(name, px.map(bytes -> {
            Mat in = new Mat(SIZE, SIZE, CvType.CV_8UC3);
            Mat out = null;
            try {
                in.put(0, 0, bytes);
                out = transform.apply(in);
                byte[] result = new byte[SIZE * SIZE * 3];
                out.get(0, 0, result);
                return result;
            } finally {
                in.release();
                if (out != null) {
                    out.release();
                }
            }
        })));
        return new ReferencePairs(pairs, mapped, unreadable);
    }

    public int pairs() {
        return pairs.size();
    }

    public int images() {
        return crops.size();
    }

    /** Images where no face was found (or that could not be read). */
    public int imagesWithoutFace() {
        return (int) crops.values().stream().filter(Optional::isEmpty).count();
    }

    public List<String> unreadable() {
        return unreadable;
    }

    /** 10-fold verification accuracy, AUC and threshold of a model on this set. */
    public VerificationMetrics evaluate(CropEmbedder embedder) {
        List<String> names = new ArrayList<>();
        crops.forEach((name, px) -> {
            if (px.isPresent()) {
                names.add(name);
            }
        });
        Map<String, Embedding> embeddings = new LinkedHashMap<>();
        for (int start = 0; start < names.size(); start += CHUNK) {
            List<String> chunk = names.subList(start, Math.min(names.size(), start + CHUNK));
            List<Mat> mats = new ArrayList<>();
            try {
                for (String name : chunk) {
                    Mat m = new Mat(SIZE, SIZE, CvType.CV_8UC3);
                    m.put(0, 0, crops.get(name).orElseThrow());
                    mats.add(m);
                }
                List<Embedding> e = embedder.embed(mats);
                for (int i = 0; i < chunk.size(); i++) {
                    embeddings.put(chunk.get(i), e.get(i));
                }
            } finally {
                mats.forEach(Mat::release);
            }
        }
        double[] scores = new double[pairs.size()];
        boolean[] same = new boolean[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            PairEvaluation.Pair p = pairs.get(i);
            Embedding a = embeddings.get(p.left());
            Embedding b = embeddings.get(p.right());
            scores[i] = a != null && b != null ? a.cosine(b) : PairEvaluation.NO_FACE_SCORE;
            same[i] = p.same();
        }
        return VerificationMetrics.evaluate(scores, same);
    }
}
