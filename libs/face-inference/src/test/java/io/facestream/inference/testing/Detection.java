package io.facestream.inference.testing;

import io.facestream.inference.analysis.FaceAnalyzer;
import io.facestream.inference.embedding.FaceEmbedder;
import io.facestream.inference.model.FaceModels;
import io.facestream.inference.mtcnn.MtcnnConfig;
import io.facestream.inference.mtcnn.MtcnnDetector;
import io.facestream.vision.OpenCvLoader;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/** Builds detectors and analyzers on the shared test models, and RGB images from golden arrays. */
public final class Detection {

    private Detection() {
    }

    public static MtcnnDetector detector(MtcnnConfig config) {
        FaceModels m = SharedModels.get();
        return new MtcnnDetector(m.mtcnn(), config);
    }

    public static FaceAnalyzer analyzer(MtcnnConfig config) {
        return new FaceAnalyzer(detector(config), new FaceEmbedder(SharedModels.get().mobileFaceNet(), 32));
    }

    /** An RGB Mat from a {@code [H, W, 3]} uint8 array. */
    public static Mat rgb(Npy u8) {
        OpenCvLoader.ensureLoaded();
        int[] s = u8.shape();
        Mat m = new Mat(s[0], s[1], CvType.CV_8UC3);
        m.put(0, 0, u8.bytes());
        return m;
    }
}
