package io.facestream.retraining.rollout;

import io.facestream.inference.embedding.FaceEmbedder;
import io.facestream.inference.model.Network;
import io.facestream.pipeline.embed.CropEmbedder;
import io.facestream.pipeline.model.ModelAnnouncer;
import io.facestream.pipeline.model.ModelCatalog;
import io.facestream.retraining.gallery.GalleryMigration;
import io.facestream.retraining.store.ModelStore;
import io.facestream.retraining.store.ModelStore.StoredModel;
import io.facestream.schema.ModelStatus;
import io.facestream.schema.ModelVersion;
import io.facestream.training.gate.EvaluationGate;
import io.facestream.training.gate.GateDecision;
import io.facestream.training.job.TrainingOutcome;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * From a trained candidate to the model that serves, in an order that never leaves a gap:
 * <ol>
 *   <li>store the artifact and its report, announce it as CANDIDATE;</li>
 *   <li>the gate compares it with the active model; a rejected candidate is recorded as REJECTED and goes
 *       nowhere else (the embedder only loads the ACTIVE pointer);</li>
 *   <li>an accepted one first gets its whole gallery: every enrolled crop re-embedded under the new version,
 *       acknowledged by the broker;</li>
 *   <li>only then is it announced ACTIVE. The embedder switches between two batches; faces embedded by the
 *       old version are still matched against the old gallery, faces of the new one against the new gallery,
 *       which the matcher waits for before its first new-version match;</li>
 *   <li>crops enrolled during the switch are re-embedded in a second pass, and samples older than the
 *       previous version are pruned.</li>
 * </ol>
 */
public final class ModelRollout {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRollout.class);

    /** Loads a stored artifact (on the device the service embeds on). */
    @FunctionalInterface
    public interface NetworkLoader {
        Network load(Path artifact);
    }

    /** Faces per forward pass when the gallery is re-embedded. */
    private static final int BATCH = 32;

    /** What happened to one candidate. */
    public record Result(StoredModel stored, GateDecision decision, boolean activated, int galleryMigrated,
            Map<String, Double> metrics) {
    }

    private final String modelName;
    private final ModelStore store;
    private final ModelAnnouncer announcer;
    private final ModelCatalog catalog;
    private final GalleryMigration gallery;
    private final EvaluationGate gate;
    private final NetworkLoader loader;
    private final String pretrainedVersion;
    private final Clock clock;

    /**
     * @param pretrainedVersion the version that serves while no version is ACTIVE on the topic
     */
    public ModelRollout(String modelName, ModelStore store, ModelAnnouncer announcer, ModelCatalog catalog,
            GalleryMigration gallery, EvaluationGate gate, NetworkLoader loader, String pretrainedVersion,
            Clock clock) {
        this.modelName = modelName;
        this.store = store;
        this.announcer = announcer;
        this.catalog = catalog;
        this.gallery = gallery;
        this.gate = gate;
        this.loader = loader;
        this.pretrainedVersion = pretrainedVersion;
        this.clock = clock;
    }

    /** The version serving now: the ACTIVE pointer, or the pre-trained model. */
    public String servingVersion() {
        return catalog.active().map(ModelVersion::getVersion).orElse(pretrainedVersion);
    }

    /**
     * @param phase told "store", "gate", "gallery", "activate" as the rollout proceeds
     */
    public Result roll(String version, TrainingOutcome outcome, Path reportDir, Consumer<String> phase)
            throws IOException, InterruptedException {
        phase.accept("store");
        StoredModel stored = store.put(modelName, version, outcome.parameters(), reportDir);
        Map<String, Double> metrics = metrics(outcome);
        ModelVersion candidate = ModelVersion.newBuilder().setModelName(modelName).setVersion(version)
                .setArtifactUri(stored.artifactUri()).setSha256(stored.sha256()).setMetrics(metrics)
                .setStatus(ModelStatus.CANDIDATE).setCreatedAt(clock.instant()).build();
        announcer.record(candidate);

        phase.accept("gate");
        GateDecision decision = gate.decide(outcome.before(), outcome.after(), boxed(outcome.referenceBefore()),
                boxed(outcome.referenceAfter()));
        store.annotate(stored, "gate.txt", (decision.accepted() ? "ACCEPTED: " : "REJECTED: ") + decision.reason()
                + "\n");
        if (!decision.accepted()) {
            announcer.record(ModelVersion.newBuilder(candidate).setStatus(ModelStatus.REJECTED).build());
            LOG.info("{} {} rejected: {}", modelName, version, decision.reason());
            return new Result(stored, decision, false, 0, metrics);
        }

        phase.accept("gallery");
        String previous = servingVersion();
        Optional<ModelVersion> previousRecord = catalog.active();
        int migrated;
        try (Network network = loader.load(stored.artifact())) {
            CropEmbedder embedder = new CropEmbedder(new FaceEmbedder(network, BATCH), version);
            migrated = gallery.migrate(embedder);

            phase.accept("activate");
            announcer.activate(candidate, previousRecord.orElse(null));
            // Samples enrolled under the previous version while the gallery was being copied.
            migrated += gallery.migrate(embedder);
        }
        int pruned = gallery.prune(version, Set.of(version, previous));
        if (!catalog.sync(Duration.ofSeconds(30))) {
            LOG.warn("model catalog did not see the activation of {} within 30 s", version);
        }
        LOG.info("{} {} active: {} gallery samples re-embedded, {} old samples pruned", modelName, version, migrated,
                pruned);
        return new Result(stored, decision, true, migrated, metrics);
    }

    private static Map<String, Double> metrics(TrainingOutcome o) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("macroF1Before", o.before().macroF1());
        m.put("macroF1After", o.after().macroF1());
        m.put("verificationAccuracyBefore", o.before().verificationAccuracy());
        m.put("verificationAccuracyAfter", o.after().verificationAccuracy());
        m.put("aucBefore", o.before().auc());
        m.put("aucAfter", o.after().auc());
        m.put("heldOutFaces", (double) o.after().heldOutFaces());
        o.referenceBefore().ifPresent(v -> m.put("referenceAccuracyBefore", v));
        o.referenceAfter().ifPresent(v -> m.put("referenceAccuracyAfter", v));
        return m;
    }

    private static Optional<Double> boxed(OptionalDouble d) {
        return d.isPresent() ? Optional.of(d.getAsDouble()) : Optional.empty();
    }
}
