package io.facestream.training.split;

import io.facestream.training.dataset.LabelledFaces;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Faces per identity, split into training and held-out faces once, with a seed. Held-out faces are never
 * trained on; they are the queries of the evaluation, and the training faces are its gallery.
 *
 * <p>Rule per identity with {@code n} faces: fewer than {@link #MIN_FACES_TO_HOLD_OUT} faces → all train
 * (a person with two photos cannot spare one); otherwise {@code round(fraction · n)} faces are held out,
 * at least one and at most {@code n − 1}, so every identity keeps a training face. Files are sorted by
 * name and then shuffled with a {@link Random} seeded from the seed and the identity, so the split of an
 * identity does not change when other identities are added.
 *
 * @param training faces to train on (and to use as the evaluation gallery), per identity, sorted by name
 * @param heldOut  faces held out for evaluation, per identity with any, sorted by name
 */
public record HeldOutSplit(Map<String, List<Path>> training, Map<String, List<Path>> heldOut) {

    public static final double DEFAULT_FRACTION = 0.3;
    public static final int MIN_FACES_TO_HOLD_OUT = 3;

    public HeldOutSplit {
        training = copy(training);
        heldOut = copy(heldOut);
    }

    /** Splits every identity of a labelled store. */
    public static HeldOutSplit of(LabelledFaces data, double fraction, long seed) throws IOException {
        Map<String, List<Path>> faces = new TreeMap<>();
        for (String id : data.counts().keySet()) {
            faces.put(id, data.facesOf(id));
        }
        return of(faces, fraction, seed);
    }

    /**
     * Splits faces given per identity.
     *
     * @throws IllegalArgumentException for a fraction outside [0, 1)
     */
    public static HeldOutSplit of(Map<String, List<Path>> facesByIdentity, double fraction, long seed) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("held-out fraction must be in [0, 1), got " + fraction);
        }
        Map<String, List<Path>> training = new TreeMap<>();
        Map<String, List<Path>> heldOut = new TreeMap<>();
        facesByIdentity.forEach((id, files) -> {
            List<Path> shuffled = new ArrayList<>(files);
            Collections.sort(shuffled);
            int n = shuffled.size();
            int held = heldOutCount(n, fraction);
            Collections.shuffle(shuffled, new Random(seed * 31 + id.hashCode()));
            if (n - held > 0) {
                training.put(id, sorted(shuffled.subList(held, n)));
            }
            if (held > 0) {
                heldOut.put(id, sorted(shuffled.subList(0, held)));
            }
        });
        return new HeldOutSplit(training, heldOut);
    }

    /** How many of {@code n} faces are held out. */
    public static int heldOutCount(int n, double fraction) {
        if (n < MIN_FACES_TO_HOLD_OUT) {
            return 0;
        }
        return (int) Math.min(n - 1, Math.max(1, Math.round(fraction * n)));
    }

    /** Identities with at least one held-out face: those the evaluation can score. */
    public List<String> evaluatedIdentities() {
        return List.copyOf(heldOut.keySet());
    }

    /** Training faces per identity, for class weights and samplers. */
    public Map<String, Long> trainingCounts() {
        Map<String, Long> counts = new TreeMap<>();
        training.forEach((id, files) -> counts.put(id, (long) files.size()));
        return counts;
    }

    /** The same split with the training faces of some identities replaced (e.g. cut to simulate rare classes). */
    public HeldOutSplit withTraining(Map<String, List<Path>> newTraining) {
        return new HeldOutSplit(newTraining, heldOut);
    }

    private static List<Path> sorted(List<Path> files) {
        List<Path> s = new ArrayList<>(files);
        Collections.sort(s);
        return List.copyOf(s);
    }

    private static Map<String, List<Path>> copy(Map<String, List<Path>> m) {
        Map<String, List<Path>> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(out);
    }
}
