package io.facestream.services.retrainer.factory;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.inference.model.FaceModels;
import io.facestream.inference.model.ModelDirectory;
import io.facestream.inference.model.ModelFile;
import io.facestream.inference.mtcnn.MtcnnConfig;
import io.facestream.inference.mtcnn.MtcnnDetector;
import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.model.ActiveModelFollower;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.pipeline.gallery.GallerySamples;
import io.facestream.pipeline.model.ModelAnnouncer;
import io.facestream.pipeline.model.ModelCatalog;
import io.facestream.pipeline.model.ModelKeys;
import io.facestream.pipeline.model.ModelSigner;
import io.facestream.pipeline.model.TrustedModelStore;
import io.facestream.pipeline.topics.Topics;
import io.facestream.retraining.dataset.FeedbackDataset;
import io.facestream.retraining.gallery.GalleryMigration;
import io.facestream.retraining.job.RetrainJobs;
import io.facestream.retraining.rollout.ModelRollout;
import io.facestream.retraining.store.ModelStore;
import io.facestream.schema.GallerySample;
import io.facestream.schema.ModelVersion;
import io.facestream.services.common.config.ModelTrustConfig;
import io.facestream.services.common.config.PipelineConfig;
import io.facestream.services.retrainer.config.RetrainerConfig;
import io.facestream.training.crop.FaceCropper;
import io.facestream.training.dataset.LabelledFaces;
import io.facestream.training.gate.EvaluationGate;
import io.facestream.training.reference.ReferencePairs;
import io.facestream.vision.decode.ImageDecoder;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Factory
public class RetrainerFactory {

    private static final Logger LOG = LoggerFactory.getLogger(RetrainerFactory.class);
    private static final Duration START_WITHIN = Duration.ofSeconds(60);

    @Singleton
    FeedbackDataset feedbackDataset(RetrainerConfig config) throws IOException {
        return new FeedbackDataset(new LabelledFaces(Path.of(config.workDir()).resolve("labelled")));
    }

    @Singleton
    ModelStore modelStore(RetrainerConfig config) throws IOException {
        return new ModelStore(Path.of(config.modelStore()));
    }

    /**
     * Signs what this retrainer announces. It does not start with a key the loaders would not trust: every
     * version it rolled out would be refused.
     */
    @Singleton
    ModelSigner modelSigner(RetrainerConfig config, ModelTrustConfig trust) {
        ModelSigner signer = new ModelSigner(ModelKeys.readPrivateKey(Path.of(config.signingKey())),
                Path.of(config.modelStore()));
        signer.requireTrustedBy(trust.keys(), ModelTrustConfig.PREFIX + ".public-keys");
        return signer;
    }

    @Singleton
    @Bean(preDestroy = "close")
    ModelAnnouncer modelAnnouncer(PipelineConfig pipeline, Topics topics, ModelSigner signer) {
        return new ModelAnnouncer(pipeline.kafka(ServicePrincipal.RETRAINER), topics, signer);
    }

    /** The versions on {@code models} that this retrainer's own store and the trusted keys vouch for. */
    @Singleton
    @Bean(preDestroy = "close")
    ModelCatalog modelCatalog(PipelineConfig pipeline, Topics topics, RetrainerConfig config, ModelTrustConfig trust)
            throws InterruptedException {
        return new ModelCatalog(pipeline.kafka(ServicePrincipal.RETRAINER), topics, MobileFaceNet.MODEL_NAME,
                new TrustedModelStore(Path.of(config.modelStore()), trust.keys())).start(START_WITHIN);
    }

    @Singleton
    @Bean(preDestroy = "close")
    GalleryMigration galleryMigration(PipelineConfig pipeline, Topics topics, FeedbackDataset dataset)
            throws InterruptedException {
        // The one read of the gallery also feeds the dataset: enrollment crops are labelled faces, and
        // erasures are known (caught up) before any label is applied.
        return new GalleryMigration(pipeline.kafka(ServicePrincipal.RETRAINER), topics, new GallerySamples.Listener() {
            @Override
            public void enrolled(GallerySample sample) {
                try {
                    dataset.addEnrollment(sample);
                } catch (IOException e) {
                    LOG.error("cannot store the enrollment crop {}/{}", sample.getIdentityId(), sample.getSampleId(),
                            e);
                }
            }

            @Override
            public void erased(String identityId) {
                try {
                    dataset.erase(identityId);
                } catch (IOException e) {
                    LOG.error("cannot erase {} from the labelled faces", identityId, e);
                }
            }
        }).start(START_WITHIN);
    }

    @Singleton
    ModelRollout modelRollout(RetrainerConfig config, ModelStore store, ModelAnnouncer announcer,
            ModelCatalog catalog, GalleryMigration gallery, ModelDirectory dir, Clock clock) {
        Device device = Engine.getEngine("PyTorch").defaultDevice();
        return new ModelRollout(MobileFaceNet.MODEL_NAME, store, announcer, catalog, gallery,
                new EvaluationGate(config.gateMargin(), config.referenceTolerance()),
                artifact -> MobileFaceNet.open(artifact, device),
                dir.embeddingModelVersion(), clock);
    }

    @Singleton
    @Bean(preDestroy = "close")
    RetrainJobs retrainJobs(RetrainerConfig config, FeedbackDataset dataset, ModelRollout rollout,
            ModelCatalog catalog, ModelDirectory dir, FaceModels models, ImageDecoder decoder, Clock clock) {
        // Train from what serves: the ACTIVE version's verified artifact, or the pre-trained weights.
        RetrainJobs.BaseModel base = () -> {
            ModelVersion active = catalog.active().orElse(null);
            if (active == null) {
                return dir.file(ModelFile.MOBILEFACENET);
            }
            try {
                return catalog.artifact(active);
            } catch (RejectedRecordException e) {
                throw new IllegalStateException("the active version " + active.getVersion() + " cannot be trained "
                        + "from (" + e.kind() + "): " + e.getMessage(), e);
            }
        };
        return new RetrainJobs(dataset, Path.of(config.workDir()), config.training(),
                Engine.getEngine("PyTorch").defaultDevice(), base, reference(config, models, decoder), rollout,
                MobileFaceNet.MODEL_NAME, clock);
    }

    /** Loaded on the first job's thread (faces are detected once), then kept. */
    private static Supplier<ReferencePairs> reference(RetrainerConfig config, FaceModels models,
            ImageDecoder decoder) {
        if (config.referencePairs() == null || config.referencePairs().isBlank()) {
            return () -> null;
        }
        Path pairs = Path.of(config.referencePairs());
        Path root = config.referenceRoot() != null ? Path.of(config.referenceRoot()) : pairs.getParent();
        return new Supplier<>() {
            private ReferencePairs loaded;

            @Override
            public synchronized ReferencePairs get() {
                if (loaded == null) {
                    try {
                        loaded = ReferencePairs.load(pairs, root,
                                new FaceCropper(new MtcnnDetector(models.mtcnn(), MtcnnConfig.DEFAULT)), decoder);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read the reference pairs " + pairs, e);
                    }
                }
                return loaded;
            }
        };
    }
}
