package io.facestream.services.detector.factory;

import io.facestream.inference.model.FaceModels;
import io.facestream.inference.model.ModelDirectory;
import io.facestream.inference.model.ModelFile;
import io.facestream.inference.mtcnn.MtcnnConfig;
import io.facestream.inference.mtcnn.MtcnnDetector;
import io.facestream.pipeline.detect.FrameDetector;
import io.facestream.services.detector.config.DetectorConfig;
import io.facestream.vision.decode.ImageDecoder;
import io.facestream.vision.motion.MotionGates;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;

@Factory
public class DetectorFactory {

    /** One background per camera in native memory, freed on shut-down. */
    @Singleton
    @Bean(preDestroy = "close")
    MotionGates motionGates(DetectorConfig config) {
        return new MotionGates(config.motionMaxCameras(), config::motion);
    }

    @Singleton
    FrameDetector frameDetector(FaceModels models, ModelDirectory dir, DetectorConfig config, ImageDecoder decoder,
            Clock clock, MotionGates motion) {
        MtcnnDetector detector = new MtcnnDetector(models.mtcnn(),
                MtcnnConfig.DEFAULT.withMinFaceSize(config.minFaceSize()));
        String version = "mtcnn-" + dir.sha256(ModelFile.ONET).substring(0, 12);
        return new FrameDetector(decoder, detector, version, clock, motion, config.settings());
    }
}
