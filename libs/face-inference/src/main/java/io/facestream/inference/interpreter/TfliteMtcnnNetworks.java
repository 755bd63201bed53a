package io.facestream.inference.interpreter;

import io.facestream.inference.mtcnn.MtcnnNetworks;
import io.facestream.vision.tensor.ImageTensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.tensorflow.lite.Interpreter;
import org.tensorflow.lite.Tensor;

/**
 * MTCNN on the TensorFlow Lite runtime with the XNNPACK delegate: the original {@code .tflite} files as they are,
 * run by NHWC kernels with fused activations, about 4× faster than the PyTorch port on this project's CPU (README,
 * "Performance"). The golden and cross-check tests hold it to the same tolerance as the port.
 *
 * <p>An interpreter is single-threaded and re-planning it for a new input shape costs milliseconds, so each calling
 * thread borrows a {@link Session} that keeps one interpreter per shape it has seen: per pyramid level size for PNet
 * (a camera's levels repeat frame after frame), and per power-of-two batch for RNet and ONet, a batch of n crops
 * being run as its binary decomposition (140 = 128 + 8 + 4), so no batch is ever padded or re-planned.
 */
public final class TfliteMtcnnNetworks implements MtcnnNetworks {

    /** Largest RNet/ONet batch one interpreter is planned for; bounds each session's memory. */
    static final int MAX_CHUNK = 64;
    /** PNet level sizes kept per session; a few frame sizes' pyramids. */
    static final int PNET_SHAPES = 32;

    private final Path pnetFile;
    private final Path rnetFile;
    private final Path onetFile;
    private final int threads;
    private final ConcurrentLinkedDeque<Session> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    /**
     * @param threads intra-op threads per interpreter (≥ 1)
     */
    public TfliteMtcnnNetworks(Path pnetFile, Path rnetFile, Path onetFile, int threads) {
        this.pnetFile = Objects.requireNonNull(pnetFile, "pnetFile");
        this.rnetFile = Objects.requireNonNull(rnetFile, "rnetFile");
        this.onetFile = Objects.requireNonNull(onetFile, "onetFile");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        // Fail at start-up, not on the first frame, when the runtime or a model does not load.
        giveBack(borrow());
    }

    @Override
    public PnetOutput pnet(Mat level) {
        Session s = borrow();
        try {
            return s.pnet(level);
        } finally {
            giveBack(s);
        }
    }

    @Override
    public StageOutput rnet(List<Mat> crops) {
        return stage(crops, false);
    }

    @Override
    public StageOutput onet(List<Mat> crops) {
        return stage(crops, true);
    }

    private StageOutput stage(List<Mat> crops, boolean onet) {
        Session s = borrow();
        try {
            return s.stage(crops, onet);
        } finally {
            giveBack(s);
        }
    }

    @Override
    public String engine() {
        return "tflite-xnnpack";
    }

    private Session borrow() {
        if (closed) {
            throw new IllegalStateException("the MTCNN interpreters are closed");
        }
        Session s = idle.pollFirst();
        if (s == null) {
            s = new Session();
        }
        return s;
    }

    private void giveBack(Session s) {
        if (closed) {
            s.close();
        } else {
            idle.addFirst(s);
        }
    }

    @Override
    public void close() {
        closed = true;
        Session s;
        while ((s = idle.pollFirst()) != null) {
            s.close();
        }
    }

    /** One thread's interpreters and input buffer. */
    private final class Session {

        private final Map<Long, Planned> pnets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Planned> eldest) {
                if (size() > PNET_SHAPES) {
                    eldest.getValue().interpreter().close();
                    return true;
                }
                return false;
            }
        };
        private final Map<Integer, Planned> rnets = new HashMap<>();
        private final Map<Integer, Planned> onets = new HashMap<>();
        private float[] pixels = new float[0];
        private ByteBuffer input = ByteBuffer.allocateDirect(0);

        Session() {
            // Plan the smallest shapes once so a broken runtime or model shows here.
            planned(rnets, rnetFile, 1, 24);
            planned(onets, onetFile, 1, 48);
        }

        PnetOutput pnet(Mat level) {
            int w = level.cols(), h = level.rows();
            Planned p = pnets.get(key(w, h));
            if (p == null) {
                p = plan(pnetFile, new int[] {1, w, h, 3});
                pnets.put(key(w, h), p);
            }
            Mat transposed = new Mat();
            try {
                // The models were converted from Caffe with width and height swapped: they read [1, W, H, 3].
                Core.transpose(level, transposed);
                run(p, List.of(transposed), 0, 1, w * h * 3);
            } finally {
                transposed.release();
            }
            Tensor prob = p.interpreter().getOutputTensor(p.probability());
            int outW = prob.shape()[1], outH = prob.shape()[2];
            int cells = outW * outH;
            float[] twoClass = read(prob, 2 * cells);
            float[] face = new float[cells];
            for (int i = 0; i < cells; i++) {
                face[i] = twoClass[2 * i + 1];
            }
            float[] reg = read(p.interpreter().getOutputTensor(p.regression()), 4 * cells);
            return new PnetOutput(outW, outH, face, reg);
        }

        StageOutput stage(List<Mat> crops, boolean onet) {
            int n = crops.size();
            int size = onet ? 48 : 24;
            float[] prob = new float[n];
            float[] reg = new float[4 * n];
            float[] lm = onet ? new float[10 * n] : null;
            List<Mat> transposed = new ArrayList<>(n);
            try {
                for (Mat c : crops) {
                    Mat t = new Mat();
                    transposed.add(t);
                    Core.transpose(c, t);
                }
                int done = 0;
                while (done < n) {
                    int chunk = Math.min(MAX_CHUNK, Integer.highestOneBit(n - done));
                    Planned p = planned(onet ? onets : rnets, onet ? onetFile : rnetFile, chunk, size);
                    run(p, transposed, done, chunk, size * size * 3);
                    float[] twoClass = read(p.interpreter().getOutputTensor(p.probability()), 2 * chunk);
                    for (int i = 0; i < chunk; i++) {
                        prob[done + i] = twoClass[2 * i + 1];
                    }
                    readInto(p.interpreter().getOutputTensor(p.regression()), reg, 4 * done, 4 * chunk);
                    if (onet) {
                        readInto(p.interpreter().getOutputTensor(p.landmarks()), lm, 10 * done, 10 * chunk);
                    }
                    done += chunk;
                }
            } finally {
                transposed.forEach(Mat::release);
            }
            return new StageOutput(n, prob, reg, lm);
        }

        private Planned planned(Map<Integer, Planned> byBatch, Path file, int batch, int size) {
            Planned p = byBatch.get(batch);
            if (p == null) {
                p = plan(file, new int[] {batch, size, size, 3});
                byBatch.put(batch, p);
            }
            return p;
        }

        /** Normalises images {@code from .. from+count} into the input buffer and runs the interpreter. */
        private void run(Planned p, List<Mat> images, int from, int count, int per) {
            int values = count * per;
            if (pixels.length < values) {
                pixels = new float[values];
                input = ByteBuffer.allocateDirect(values * Float.BYTES).order(ByteOrder.nativeOrder());
            }
            for (int i = 0; i < count; i++) {
                ImageTensors.normalisedHwc(images.get(from + i), pixels, i * per);
            }
            input.clear();
            FloatBuffer floats = input.asFloatBuffer();
            floats.put(pixels, 0, values);
            input.limit(values * Float.BYTES);
            // The runtime wants a buffer of exactly the tensor's size: a slice, not the larger backing buffer.
            ByteBuffer exact = input.slice().order(ByteOrder.nativeOrder());
            p.interpreter().runForMultipleInputsOutputs(new Object[] {exact}, new HashMap<>());
        }

        void close() {
            for (Map<?, Planned> m : List.of(pnets, rnets, onets)) {
                m.values().forEach(p -> p.interpreter().close());
                m.clear();
            }
        }
    }

    private Planned plan(Path file, int[] shape) {
        Interpreter interpreter = TfliteRuntime.open(file, threads, true);
        try {
            interpreter.resizeInput(0, shape);
            interpreter.allocateTensors();
            int probability = -1, regression = -1, landmarks = -1;
            // Outputs are told apart by their last dimension: 2 classes, 4 box offsets, 10 landmark coordinates.
            for (int i = 0; i < interpreter.getOutputTensorCount(); i++) {
                int[] s = interpreter.getOutputTensor(i).shape();
                switch (s[s.length - 1]) {
                    case 2 -> probability = i;
                    case 4 -> regression = i;
                    case 10 -> landmarks = i;
                    default -> throw new IllegalStateException(file + ": unexpected output shape "
                            + java.util.Arrays.toString(s));
                }
            }
            if (probability < 0 || regression < 0) {
                throw new IllegalStateException(file + ": no face-probability or box-regression output");
            }
            return new Planned(interpreter, probability, regression, landmarks);
        } catch (RuntimeException e) {
            interpreter.close();
            throw e;
        }
    }

    private static long key(int w, int h) {
        return ((long) w << 32) | h;
    }

    private static float[] read(Tensor t, int count) {
        float[] out = new float[count];
        readInto(t, out, 0, count);
        return out;
    }

    private static void readInto(Tensor t, float[] dst, int offset, int count) {
        if (t.numElements() != count) {
            throw new IllegalStateException("output " + t.name() + " has " + t.numElements() + " values, expected "
                    + count);
        }
        ByteBuffer b = t.asReadOnlyBuffer();
        b.rewind();
        b.order(ByteOrder.nativeOrder()).asFloatBuffer().get(dst, offset, count);
    }

    /** An interpreter planned for one input shape, with the indices of its outputs. */
    private record Planned(Interpreter interpreter, int probability, int regression, int landmarks) {
    }
}
