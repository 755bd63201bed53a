package io.facestream.training.finetune;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.facestream.core.similarity.Embedding;
import io.facestream.inference.embedding.FaceEmbedder;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.inference.model.Network;
import io.facestream.inference.nn.Chain;
import io.facestream.training.augment.FaceAugmenter;
import io.facestream.training.freeze.StageFreezer;
import io.facestream.training.loss.TripletLoss;
import io.facestream.training.loss.WeightedSoftmaxCrossEntropy;
import io.facestream.training.sampling.BatchSampler;
import io.facestream.training.sampling.ClassBalancedSampler;
import io.facestream.training.sampling.ShuffledEpochSampler;
import io.facestream.training.weights.ClassWeights;
import io.facestream.vision.tensor.ImageTensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Fine-tunes MobileFaceNet on labelled faces: freezes the early stages, puts a new cosine classification
 * head on the embedding, initialised to each class's mean embedding under the base model ("imprinting",
 * so the first steps already push the right way instead of following a random head), and trains the late
 * stages and the head with Adam on augmented crops. The loss is the CosFace form of softmax cross-entropy,
 * {@code CE(s · (cos − m · onehot(y)))} with {@code s = }{@value #SCALE} and {@code m = }{@value #MARGIN}:
 * the pre-trained model already separates most training faces, and without a margin their loss is near
 * zero and nothing moves; the margin asks for each face to be closer to its own class than to any other by
 * {@code m}, i.e. for tighter identities, which is what nearest-neighbour matching needs. Optionally a
 * triplet term is added. The head is dropped afterwards: only the backbone's weights change, in place.
 */
public final class FineTuner {

    /** Scale of the cosine logits. */
    public static final float SCALE = 30f;
    /** Additive cosine margin of the target class. */
    public static final float MARGIN = 0.2f;
    /** Hard negatives per class in the batch for the triplet term. */
    public static final int NEGATIVES_PER_CLASS = 2;

    private static final int SIZE = MobileFaceNet.INPUT_SIZE;

    /** Called after every step, from the training thread. */
    @FunctionalInterface
    public interface StepListener {
        void step(int step, int steps, double loss);
    }

    /** What a run did: the loss of each step and how long the steps took. */
    public record Result(double[] losses, double seconds) {
    }

    private final Device device;

    public FineTuner(Device device) {
        this.device = device;
    }

    /**
     * Trains the backbone of {@code network} (a MobileFaceNet from {@link MobileFaceNet#open}) in place.
     *
     * @throws IllegalArgumentException for an unknown or the last stage as freeze depth, or fewer than two classes
     */
    public Result train(Network network, TrainingExamples examples, FineTuneSettings settings, StepListener listener) {
        List<String> stages = MobileFaceNet.stageNames();
        if (!stages.contains(settings.lastFrozenStage()) || settings.lastFrozenStage().equals("head")) {
            throw new IllegalArgumentException("freeze depth must be one of " + stages.subList(0, stages.size() - 1)
                    + ", got '" + settings.lastFrozenStage() + "'");
        }
        int classes = examples.classes().size();
        if (classes < 2) {
            throw new IllegalArgumentException("fine-tuning needs at least two identities, got " + classes);
        }
        Engine.getEngine("PyTorch").setRandomSeed((int) settings.seed());
        Chain backbone = (Chain) network.block();
        float[] imprint = classMeans(network, examples);
        StageFreezer.freezeThrough(backbone, settings.lastFrozenStage());
        CosineClassifier head = new CosineClassifier(classes, MobileFaceNet.EMBEDDING_SIZE);
        float[] weights = settings.weightedLoss() ? ClassWeights.balanced(examples.counts()) : ones(classes);
        WeightedSoftmaxCrossEntropy crossEntropy = new WeightedSoftmaxCrossEntropy("cosface", weights);
        TripletLoss triplet = new TripletLoss(settings.tripletMargin());
        boolean withTriplet = settings.tripletWeight() > 0;
        Random sampling = new Random(settings.seed());
        FaceAugmenter augmenter = new FaceAugmenter(new Random(settings.seed() + 1));
        BatchSampler sampler = settings.balancedSampling()
                ? new ClassBalancedSampler(examples.labels(), classes, sampling)
                : new ShuffledEpochSampler(examples.size(), sampling);
        double[] losses = new double[settings.steps()];
        long start = System.nanoTime();
        try (Model model = Model.newInstance("fine-tune", device, "PyTorch")) {
            model.setBlock(new ClassifierNetwork(backbone, head, settings.lastFrozenStage()));
            DefaultTrainingConfig config = new DefaultTrainingConfig(crossEntropy)
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(settings.learningRate()))
                            .build())
                    .optDevices(new Device[] {device});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(settings.batchSize(), 3, SIZE, SIZE));
                head.setWeights(imprint);
                for (int step = 0; step < settings.steps(); step++) {
                    int[] batch = withTriplet ? withPositives(sampler, examples, settings.batchSize(), sampling)
                            : sampler.next(settings.batchSize());
                    losses[step] = step(trainer, examples, batch, crossEntropy, triplet, settings, augmenter, sampling);
                    listener.step(step + 1, settings.steps(), losses[step]);
                }
            }
        } finally {
            // The backbone outlives the training model: leave it as an inference network.
            backbone.freezeParameters(true);
        }
        return new Result(losses, (System.nanoTime() - start) / 1e9);
    }

    private static int[] withPositives(BatchSampler sampler, TrainingExamples examples, int batchSize, Random random) {
        int[] anchors = sampler.next(Math.max(1, batchSize / 2));
        int[] positives = ClassBalancedSampler.positivesFor(anchors, examples.labels(), examples.classes().size(),
                random);
        int[] batch = Arrays.copyOf(anchors, anchors.length + positives.length);
        System.arraycopy(positives, 0, batch, anchors.length, positives.length);
        return batch;
    }

    private static double step(Trainer trainer, TrainingExamples examples, int[] batch,
            WeightedSoftmaxCrossEntropy crossEntropy, TripletLoss triplet, FineTuneSettings settings,
            FaceAugmenter augmenter, Random random) {
        int n = batch.length;
        int[] labels = new int[n];
        List<byte[]> images = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            labels[i] = examples.labels()[batch[i]];
            images.add(examples.pixels().get(batch[i]));
        }
        List<Integer> owners = new ArrayList<>();
        if (settings.tripletWeight() > 0) {
            for (int c : Arrays.stream(labels).distinct().toArray()) {
                List<byte[]> negatives = examples.negatives().get(c);
                for (int k = 0; k < Math.min(NEGATIVES_PER_CLASS, negatives.size()); k++) {
                    images.add(negatives.get(random.nextInt(negatives.size())));
                    owners.add(c);
                }
            }
        }
        float[] pixels = augmentedPixels(images, augmenter);
        try (NDManager manager = trainer.getManager().newSubManager()) {
            NDArray input = manager.create(pixels, new Shape(images.size(), SIZE, SIZE, 3)).transpose(0, 3, 1, 2);
            float[] labelValues = new float[n];
            for (int i = 0; i < n; i++) {
                labelValues[i] = labels[i];
            }
            NDArray targets = manager.create(labelValues);
            double value;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList out = trainer.forward(new NDList(input));
                NDArray embeddings = out.get(0);
                NDArray cosines = out.get(1).get(new NDIndex("0:" + n));
                NDArray logits = cosines.sub(targets.oneHot((int) cosines.getShape().get(1)).mul(MARGIN)).mul(SCALE);
                NDArray loss = crossEntropy.evaluate(new NDList(targets), new NDList(logits));
                if (settings.tripletWeight() > 0) {
                    NDArray batchEmbeddings = embeddings.get(new NDIndex("0:" + n));
                    NDArray negativeEmbeddings = owners.isEmpty() ? null : embeddings.get(new NDIndex(n + ":"));
                    int[] ownerArray = owners.stream().mapToInt(Integer::intValue).toArray();
                    loss = loss.add(triplet.evaluate(batchEmbeddings, labels, negativeEmbeddings, ownerArray)
                            .mul(settings.tripletWeight()));
                }
                collector.backward(loss);
                value = loss.getFloat();
            }
            trainer.step();
            return value;
        }
    }

    private static float[] augmentedPixels(List<byte[]> images, FaceAugmenter augmenter) {
        int per = SIZE * SIZE * 3;
        float[] pixels = new float[images.size() * per];
        Mat crop = new Mat(SIZE, SIZE, CvType.CV_8UC3);
        try {
            for (int i = 0; i < images.size(); i++) {
                crop.put(0, 0, images.get(i));
                Mat augmented = augmenter.augment(crop);
                ImageTensors.normalisedHwc(augmented, pixels, i * per);
                augmented.release();
            }
        } finally {
            crop.release();
        }
        return pixels;
    }

    /** Each class's mean normalised embedding under the current weights, normalised, row-major. */
    private static float[] classMeans(Network network, TrainingExamples examples) {
        int classes = examples.classes().size();
        int d = MobileFaceNet.EMBEDDING_SIZE;
        double[] sums = new double[classes * d];
        FaceEmbedder embedder = new FaceEmbedder(network, 32);
        int chunk = 64;
        for (int start = 0; start < examples.size(); start += chunk) {
            int end = Math.min(examples.size(), start + chunk);
            List<Mat> mats = new ArrayList<>();
            try {
                for (int i = start; i < end; i++) {
                    Mat m = new Mat(SIZE, SIZE, CvType.CV_8UC3);
                    m.put(0, 0, examples.pixels().get(i));
                    mats.add(m);
                }
                List<Embedding> e = embedder.embed(mats);
                for (int i = start; i < end; i++) {
                    float[] v = e.get(i - start).toArray();
                    int c = examples.labels()[i];
                    for (int k = 0; k < d; k++) {
                        sums[c * d + k] += v[k];
                    }
                }
            } finally {
                mats.forEach(Mat::release);
            }
        }
        float[] out = new float[classes * d];
        for (int c = 0; c < classes; c++) {
            double norm = 0;
            for (int k = 0; k < d; k++) {
                norm += sums[c * d + k] * sums[c * d + k];
            }
            norm = Math.max(Math.sqrt(norm), 1e-12);
            for (int k = 0; k < d; k++) {
                out[c * d + k] = (float) (sums[c * d + k] / norm);
            }
        }
        return out;
    }

    private static float[] ones(int n) {
        float[] w = new float[n];
        Arrays.fill(w, 1f);
        return w;
    }
}
