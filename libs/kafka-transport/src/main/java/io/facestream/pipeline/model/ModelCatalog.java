package io.facestream.pipeline.model;

import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.ModelStatus;
import io.facestream.schema.ModelVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every version of one model as the {@code models} topic tells it (keys as in {@link ModelAnnouncer}): each
 * version's latest state and the ACTIVE pointer. For the model API and for the retrainer, which trains from
 * the active version. Only records signed by the retrainer with artifacts inside the model store are taken
 * ({@link TrustedModelStore#verifySignature}); any other is skipped with a warning (the embedder, which loads
 * models, dead-letters it). {@link #artifact} checks the file itself before a caller reads it.
 */
public final class ModelCatalog implements AutoCloseable, Monitored {

    private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);

    private final String modelName;
    private final Topics topics;
    private final TrustedModelStore trust;
    private final Map<String, ModelVersion> versions = new ConcurrentHashMap<>();
    private volatile ModelVersion active;
    private final TopicFollower follower;

    public ModelCatalog(KafkaClientSettings kafka, Topics topics, String modelName, TrustedModelStore trust) {
        this.modelName = modelName;
        this.topics = topics;
        this.trust = trust;
        this.follower = new TopicFollower("model-catalog-" + modelName, kafka,
                List.of(topics.models().name()), -1, this::apply);
    }

    /** Starts following and waits until the versions announced so far are known. */
    public ModelCatalog start(Duration timeout) throws InterruptedException {
        follower.start();
        if (!follower.awaitCaughtUp(timeout)) {
            throw new IllegalStateException("the models topic was not read within " + timeout);
        }
        return this;
    }

    /** Waits until everything announced so far is known (after this instance announced something itself). */
    public boolean sync(Duration timeout) throws InterruptedException {
        return follower.sync(timeout);
    }

    /** The ACTIVE version, or empty while the pre-trained model serves. */
    public Optional<ModelVersion> active() {
        return Optional.ofNullable(active);
    }

    /**
     * The verified artifact of a version (inside the store, signed, SHA-256 as signed): the only way a caller
     * of the catalog gets a file to load.
     */
    public Path artifact(ModelVersion version) throws RejectedRecordException {
        return trust.verify(version);
    }

    /** Every version, newest first. */
    public List<ModelVersion> versions() {
        return versions.values().stream().map(this::asPointerSays)
                .sorted(Comparator.comparing(ModelVersion::getCreatedAt).reversed()
                        .thenComparing(ModelVersion::getVersion)).toList();
    }

    public Optional<ModelVersion> version(String version) {
        return Optional.ofNullable(versions.get(version)).map(this::asPointerSays);
    }

    /**
     * A version's status as the pointer has it: the pointer's version is ACTIVE even before its own record
     * says so, and a version whose record still says ACTIVE but has been replaced is RETIRED (an activation
     * interrupted between its writes).
     */
    private ModelVersion asPointerSays(ModelVersion v) {
        ModelVersion pointer = active;
        boolean serving = pointer != null && pointer.getVersion().equals(v.getVersion());
        ModelStatus status = serving ? ModelStatus.ACTIVE
                : v.getStatus() == ModelStatus.ACTIVE ? ModelStatus.RETIRED : v.getStatus();
        return status == v.getStatus() ? v : ModelVersion.newBuilder(v).setStatus(status).build();
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null || r.value() == null) {
            return;
        }
        boolean pointer = r.key().equals(modelName);
        if (!pointer && !r.key().startsWith(modelName + "/")) {
            return;
        }
        try {
            ModelVersion v = topics.models().decode(r.value());
            trust.verifySignature(v);
            if (pointer) {
                active = v;
            } else {
                versions.put(v.getVersion(), v);
            }
        } catch (RejectedRecordException e) {
            LOG.warn("skipping models record {} at offset {} ({}): {}", r.key(), r.offset(), e.kind(), e.getMessage());
        }
    }

    /** Its follower thread, for {@code /health}. */
    @Override
    public List<LoopStatus> loops() {
        return follower.loops();
    }

    @Override
    public void close() {
        follower.close();
    }
}
