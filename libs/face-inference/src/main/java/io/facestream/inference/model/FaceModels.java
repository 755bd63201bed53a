package io.facestream.inference.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.inference.mtcnn.PNet;
import io.facestream.inference.mtcnn.RefineNet;

/** The four networks, loaded once from a verified model directory; share one instance per process. */
public final class FaceModels implements AutoCloseable {

    private final Network pnet;
    private final Network rnet;
    private final Network onet;
    private final Network mobileFaceNet;

    private FaceModels(Network pnet, Network rnet, Network onet, Network mobileFaceNet) {
        this.pnet = pnet;
        this.rnet = rnet;
        this.onet = onet;
        this.mobileFaceNet = mobileFaceNet;
    }

    /** Loads on the engine's default device: a GPU when the engine has one, else the CPU. */
    public static FaceModels load(ModelDirectory dir) {
        return load(dir, Engine.getEngine("PyTorch").defaultDevice());
    }

    public static FaceModels load(ModelDirectory dir, Device device) {
        Network p = null, r = null, o = null;
        try {
            p = Network.fromTflite("pnet", new PNet(), dir.file(ModelFile.PNET), device, PNet::load);
            r = Network.fromTflite("rnet", RefineNet.rnet(), dir.file(ModelFile.RNET), device, RefineNet::load);
            o = Network.fromTflite("onet", RefineNet.onet(), dir.file(ModelFile.ONET), device, RefineNet::load);
            Network m = Network.fromTflite("mobilefacenet", MobileFaceNet.build(), dir.file(ModelFile.MOBILEFACENET),
                    device, MobileFaceNet::load);
            return new FaceModels(p, r, o, m);
        } catch (RuntimeException e) {
            for (Network n : new Network[] {p, r, o}) {
                if (n != null) {
                    n.close();
                }
            }
            throw e;
        }
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
        pnet.close();
        rnet.close();
        onet.close();
        mobileFaceNet.close();
    }
}
