package io.facestream.training.finetune;

import io.facestream.training.dataset.CropImages;
import io.facestream.training.dataset.LabelledFaces;
import io.facestream.training.split.HeldOutSplit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opencv.core.Mat;

/**
 * The training faces of a split, decoded once into memory (RGB pixels of 112×112 crops, 37 KB each), with
 * a class index per face and the hard negatives ("not this person") of each class.
 *
 * @param classes   class names (identities) in index order
 * @param pixels    RGB bytes of each training crop
 * @param labels    class index of each training crop
 * @param negatives per class, RGB bytes of faces that are not that person
 */
public record TrainingExamples(List<String> classes, List<byte[]> pixels, int[] labels, List<List<byte[]>> negatives) {

    public static final int SIZE = 112;

    public TrainingExamples {
        classes = List.copyOf(classes);
        pixels = List.copyOf(pixels);
        negatives = negatives.stream().map(List::copyOf).toList();
        if (pixels.size() != labels.length || negatives.size() != classes.size()) {
            throw new IllegalArgumentException("one label per crop and one negative list per class");
        }
    }

    /** The training faces of {@code split}, with the negatives kept in {@code data} for their identities. */
    public static TrainingExamples load(HeldOutSplit split, LabelledFaces data) throws IOException {
        List<String> classes = new ArrayList<>(split.training().keySet());
        List<byte[]> pixels = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<List<byte[]>> negatives = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            for (Path f : split.training().get(classes.get(c))) {
                pixels.add(read(f));
                labels.add(c);
            }
            List<byte[]> neg = new ArrayList<>();
            if (data != null) {
                for (Path f : data.negativesOf(classes.get(c))) {
                    neg.add(read(f));
                }
            }
            negatives.add(neg);
        }
        return new TrainingExamples(classes, pixels, labels.stream().mapToInt(Integer::intValue).toArray(), negatives);
    }

    /** Training faces per class, in class order (for class weights). */
    public long[] counts() {
        long[] counts = new long[classes.size()];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    public int size() {
        return labels.length;
    }

    public boolean hasNegatives() {
        return negatives.stream().anyMatch(l -> !l.isEmpty());
    }

    static byte[] read(Path file) throws IOException {
        Mat m = CropImages.read(file);
        try {
            byte[] px = new byte[SIZE * SIZE * 3];
            m.get(0, 0, px);
            return px;
        } finally {
            m.release();
        }
    }

    /** Faces per class name. */
    public Map<String, Long> countsByClass() {
        Map<String, Long> out = new java.util.TreeMap<>();
        long[] c = counts();
        for (int i = 0; i < classes.size(); i++) {
            out.put(classes.get(i), c[i]);
        }
        return out;
    }
}
