package io.facestream.inference.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.inference.interpreter.TfliteMtcnnNetworks;
import io.facestream.inference.mtcnn.DjlMtcnnNetworks;
import io.facestream.inference.mtcnn.MtcnnNetworks;
import io.facestream.inference.mtcnn.PNet;
import io.facestream.inference.mtcnn.RefineNet;

/**
 * The four networks, loaded once from a verified model directory, and the MTCNN networks on the chosen detector
 * engine; share one instance per process.
 */
public final class FaceModels implements AutoCloseable {

    private final Network pnet;
    private final Network rnet;
    private final Network onet;
    private final Network mobileFaceNet;
    private final MtcnnNetworks mtcnn;

    private FaceModels(Network pnet, Network rnet, Network onet, Network mobileFaceNet, MtcnnNetworks mtcnn) {
        this.pnet = pnet;
        this.rnet = rnet;
        this.onet = onet;
        this.mobileFaceNet = mobileFaceNet;
        this.mtcnn = mtcnn;
    }

    /** Loads on the engine's default device (a GPU when PyTorch has one), MTCNN on TFLite. */
    public static FaceModels load(ModelDirectory dir) {
        return load(dir, DetectorEngine.TFLITE, DetectorEngine.DEFAULT_THREADS);
    }

    /** Loads on PyTorch's default device, MTCNN on {@code engine} with {@code threads} intra-op threads (TFLite). */
    public static FaceModels load(ModelDirectory dir, DetectorEngine engine, int threads) {
        return load(dir, Engine.getEngine("PyTorch").defaultDevice(), engine, threads);
    }

    /** Loads every network on {@code device}, MTCNN on the PyTorch port there too. */
    public static FaceModels load(ModelDirectory dir, Device device) {
        return load(dir, device, DetectorEngine.PYTORCH, 1);
    }

    public static FaceModels load(ModelDirectory dir, Device device, DetectorEngine engine, int threads) {
        Network p = null, r = null, o = null, m = null;
        try {
            p = Network.fromTflite("pnet", new PNet(), dir.file(ModelFile.PNET), device, PNet::load);
            r = Network.fromTflite("rnet", RefineNet.rnet(), dir.file(ModelFile.RNET), device, RefineNet::load);
            o = Network.fromTflite("onet", RefineNet.onet(), dir.file(ModelFile.ONET), device, RefineNet::load);
            m = Network.fromTflite("mobilefacenet", MobileFaceNet.build(), dir.file(ModelFile.MOBILEFACENET),
                    device, MobileFaceNet::load);
            MtcnnNetworks mtcnn = switch (engine) {
                case TFLITE -> new TfliteMtcnnNetworks(dir.file(ModelFile.PNET), dir.file(ModelFile.RNET),
                        dir.file(ModelFile.ONET), threads);
                case PYTORCH -> new DjlMtcnnNetworks(p, r, o);
            };
            return new FaceModels(p, r, o, m, mtcnn);
        } catch (RuntimeException e) {
            for (Network n : new Network[] {p, r, o, m}) {
                if (n != null) {
                    n.close();
                }
            }
            throw e;
        }
    }

    /** MTCNN on the detector engine chosen at load time. */
    public MtcnnNetworks mtcnn() {
        return mtcnn;
    }

    /** MTCNN on the PyTorch port of these models, whichever engine {@link #mtcnn()} uses. */
    public MtcnnNetworks pytorchMtcnn() {
        return new DjlMtcnnNetworks(pnet, rnet, onet);
    }

    public Network pnet() {
        return pnet;
    }

    public Network rnet() {
        return rnet;
    }

    public Network onet() {
        return onet;
    }

    public Network mobileFaceNet() {
        return mobileFaceNet;
    }

    @Override
    public void close() {
        mtcnn.close();
        pnet.close();
        rnet.close();
        onet.close();
        mobileFaceNet.close();
    }
}
