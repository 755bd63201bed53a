package io.facestream.cli;

import io.facestream.inference.analysis.FaceAnalyzer;
import io.facestream.inference.embedding.FaceEmbedder;
import io.facestream.inference.model.DetectorEngine;
import io.facestream.inference.model.FaceModels;
import io.facestream.inference.model.ModelDirectory;
import io.facestream.inference.model.ModelFile;
import io.facestream.inference.mtcnn.MtcnnConfig;
import io.facestream.inference.mtcnn.MtcnnDetector;
import io.facestream.vision.decode.DecodeLimits;
import io.facestream.vision.decode.ImageDecoder;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every image command shares: where the models are, image limits, detector settings. */
public final class ModelOptions {

    @Option(names = "--model-dir", paramLabel = "DIR", defaultValue = "${env:FACESTREAM_MODEL_DIR:-models}",
            description = "Directory with the verified .tflite models (default: $FACESTREAM_MODEL_DIR or ./models).")
    Path modelDir;

    @Option(names = "--max-pixels", paramLabel = "N", defaultValue = "40000000",
            description = "Refuse images with more pixels than this, checked before decoding (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Option(names = "--min-face", paramLabel = "PX", defaultValue = "20",
            description = "Smallest face side to detect, in pixels (default: ${DEFAULT-VALUE}).")
    int minFace;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "32",
            description = "Largest embedding batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--detector-engine", paramLabel = "ENGINE", defaultValue = "tflite",
            description = "What runs MTCNN: tflite (the TFLite runtime with XNNPACK) or pytorch (default: ${DEFAULT-VALUE}).")
    String detectorEngine;

    @Option(names = "--detector-threads", paramLabel = "N", defaultValue = "1",
            description = "Intra-op threads of each TFLite interpreter (default: ${DEFAULT-VALUE}).")
    int detectorThreads;

    private FaceModels models;

    public ImageDecoder decoder() {
        return new ImageDecoder(new DecodeLimits(maxPixels, DecodeLimits.DEFAULT_MAX_BYTES));
    }

    /** Loads the networks once (a second or two) and keeps them for the command's lifetime. */
    public synchronized FaceModels models() {
        if (models == null) {
            models = FaceModels.load(ModelDirectory.open(modelDir), DetectorEngine.parse(detectorEngine),
                    detectorThreads);
        }
        return models;
    }

    /** Intra-op threads of each TFLite interpreter (--detector-threads). */
    public int detectorThreads() {
        return detectorThreads;
    }

    /** The model directory (--model-dir). */
    public Path modelDir() {
        return modelDir;
    }

    /** A verified model file of the model directory. */
    public Path modelFile(ModelFile file) {
        return ModelDirectory.open(modelDir).file(file);
    }

    public MtcnnDetector detector() {
        return detector(minFace);
    }

    public MtcnnDetector detector(int minFaceSize) {
        FaceModels m = models();
        return new MtcnnDetector(m.mtcnn(), MtcnnConfig.DEFAULT.withMinFaceSize(minFaceSize));
    }

    public FaceAnalyzer analyzer() {
        return new FaceAnalyzer(detector(), new FaceEmbedder(models().mobileFaceNet(), batch));
    }
}
