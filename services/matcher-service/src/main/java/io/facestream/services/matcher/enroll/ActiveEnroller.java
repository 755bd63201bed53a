package io.facestream.services.matcher.enroll;

import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import java.util.List;
import ai.djl.engine.Engine;
import io.facestream.core.quality.QualityConfig;
import io.facestream.inference.analysis.FaceAnalyzer;
import io.facestream.inference.embedding.FaceEmbedder;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.inference.model.FaceModels;
import io.facestream.inference.model.ModelDirectory;
import io.facestream.inference.mtcnn.MtcnnConfig;
import io.facestream.inference.mtcnn.MtcnnDetector;
import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.enroll.Enroller;
import io.facestream.pipeline.model.ActiveModelFollower;
import io.facestream.pipeline.model.ModelDeadLetters;
import io.facestream.pipeline.model.TrustedModelStore;
import io.facestream.pipeline.topics.Topics;
import io.facestream.services.common.config.PipelineConfig;
import io.facestream.services.common.metrics.StageMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.facestream.vision.decode.ImageDecoder;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;

/**
 * Enrollment with the embedding model that serves: a photo enrolled after a rollout is embedded by the new
 * version, like the faces it will be compared with. Like the embedder, it loads a version only from the model
 * store and only when the retrainer's signature verifies; what it refuses goes to {@code models.dlq} (stage
 * {@value #STAGE}).
 */
@Singleton
public class ActiveEnroller implements Monitored {

    /** The {@code facestream.stage} of the dead letters it writes. */
    public static final String STAGE = "matcher-enrollment";
    private static final Duration START_WITHIN = Duration.ofSeconds(60);

    private final ActiveModelFollower<Enroller> follower;

    public ActiveEnroller(PipelineConfig pipeline, Topics topics, FaceModels models, ModelDirectory dir,
            ImageDecoder decoder, Clock clock, TrustedModelStore trust, MeterRegistry registry)
            throws InterruptedException {
        MtcnnDetector detector = new MtcnnDetector(models.mtcnn(), MtcnnConfig.DEFAULT);
        Enroller initial = new Enroller(decoder, new FaceAnalyzer(detector, new FaceEmbedder(models.mobileFaceNet(),
                8)), dir.embeddingModelVersion(), clock, QualityConfig.DEFAULT, pipeline.enrollmentGate(),
                pipeline.enrollmentLowResolutionSize());
        ModelDeadLetters deadLetters = new ModelDeadLetters(pipeline.kafka(ServicePrincipal.MATCHER), topics, STAGE,
                kind -> StageMetrics.deadLetters(registry).deadLettered(STAGE, kind))
                .start(START_WITHIN);
        follower = new ActiveModelFollower<>(pipeline.kafka(ServicePrincipal.MATCHER), topics, MobileFaceNet.MODEL_NAME, initial,
                dir.embeddingModelVersion(), trust, deadLetters, (version, artifact) -> new Enroller(decoder, new FaceAnalyzer(detector,
                        new FaceEmbedder(MobileFaceNet.open(artifact, Engine.getEngine("PyTorch").defaultDevice()),
                                8)), version.getVersion(), clock, QualityConfig.DEFAULT, pipeline.enrollmentGate(),
                                pipeline.enrollmentLowResolutionSize()))
                .start();
    }

    public Enroller current() {
        return follower.current();
    }

    @PreDestroy
    void close() {
        follower.close();
    }

    /** Its follower thread, for {@code /health}. */
    @Override
    public List<LoopStatus> loops() {
        return follower.loops();
    }
}
