package io.facestream.pipeline.model;

import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.ModelStatus;
import io.facestream.schema.ModelVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted {@code models} topic and keeps the ACTIVE version of one model loaded. A new ACTIVE
 * version is verified first ({@link TrustedModelStore}: artifact inside the model store, signed by the
 * retrainer's key, SHA-256 as signed) and only then loaded and swapped in whole, so a stage that asks
 * {@link #current()} once per batch switches between two batches without dropping a record.
 *
 * <p>A record of this model that fails verification (a forged or unsigned version, an artifact outside the
 * store, a missing file or a wrong checksum; an undecodable record) is refused before anything is loaded: it
 * goes to {@code models.dlq} with the reason ({@link ModelDeadLetters}) and the previous version keeps serving.
 * Besides the ACTIVE pointer (key {@code <model>}), the versions' own records (key {@code <model>/<version>})
 * are checked too, without reading their files, so a forged candidate is reported as well.
 *
 * @param <M> the loaded model, e.g. an embedder bound to its version
 */
public final class ActiveModelFollower<M> implements AutoCloseable, Monitored {

    private static final Logger LOG = LoggerFactory.getLogger(ActiveModelFollower.class);

    private final String modelName;
    private final Topics topics;
    private final TrustedModelStore trust;
    private final ModelDeadLetters deadLetters;
    private final BiFunction<ModelVersion, Path, M> loader;
    private final AtomicReference<M> current;
    private final AtomicReference<String> currentVersion;
    private final TopicFollower follower;

    /**
     * @param initial the model to serve until an ACTIVE version is announced (the pre-trained weights, which
     *     are verified by their own checksums)
     * @param trust what an announced version must satisfy to be loaded
     * @param deadLetters where refused records go; started by the caller, closed with this follower
     * @param loader builds the model from a verified artifact (its real path inside the store)
     */
    public ActiveModelFollower(KafkaClientSettings kafka, Topics topics, String modelName, M initial,
            String initialVersion, TrustedModelStore trust, ModelDeadLetters deadLetters,
            BiFunction<ModelVersion, Path, M> loader) {
        this.modelName = modelName;
        this.topics = topics;
        this.trust = trust;
        this.deadLetters = deadLetters;
        this.loader = loader;
        this.current = new AtomicReference<>(initial);
        this.currentVersion = new AtomicReference<>(initialVersion);
        this.follower = new TopicFollower("active-model-" + modelName, kafka,
                List.of(topics.models().name()), -1, r -> {
                    if (r.key() == null || r.value() == null) {
                        return;
                    }
                    if (modelName.equals(r.key())) {
                        consider(r);
                    } else if (r.key().startsWith(modelName + "/")) {
                        check(r);
                    }
                });
    }

    public ActiveModelFollower<M> start() {
        follower.start();
        return this;
    }

    /** Waits until every record on {@code models} now has been considered (tests, read-your-writes). */
    public boolean sync(Duration timeout) throws InterruptedException {
        return follower.sync(timeout);
    }

    public M current() {
        return current.get();
    }

    public String currentVersion() {
        return currentVersion.get();
    }

    /** The ACTIVE pointer: verified, then loaded unless it names the version that serves already. */
    private void consider(ConsumerRecord<String, byte[]> r) {
        ModelVersion v;
        Path artifact;
        try {
            v = topics.models().decode(r.value());
            if (v.getStatus() != ModelStatus.ACTIVE) {
                return;
            }
            artifact = trust.verify(v);
        } catch (RejectedRecordException e) {
            refuse(r, e);
            return;
        }
        if (v.getVersion().equals(currentVersion.get())) {
            return;
        }
        try {
            M loaded = loader.apply(v, artifact);
            current.set(loaded);
            currentVersion.set(v.getVersion());
            LOG.info("{} switched to version {}", modelName, v.getVersion());
        } catch (RuntimeException e) {
            LOG.error("refusing {} {}: it does not load: {}", modelName, v.getVersion(), e.getMessage());
        }
    }

    /** A version's own record: nothing is loaded from it, but a forged one is reported all the same. */
    private void check(ConsumerRecord<String, byte[]> r) {
        try {
            trust.verifySignature(topics.models().decode(r.value()));
        } catch (RejectedRecordException e) {
            refuse(r, e);
        }
    }

    private void refuse(ConsumerRecord<String, byte[]> r, RejectedRecordException e) {
        LOG.error("refusing models record {} at offset {} ({}): {}; {} keeps serving", r.key(), r.offset(), e.kind(),
                e.getMessage(), currentVersion.get());
        deadLetters.refused(r, e);
    }

    /** Hex SHA-256 of a file. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Its follower thread, for {@code /health}. */
    @Override
    public List<LoopStatus> loops() {
        return follower.loops();
    }

    @Override
    public void close() {
        try {
            follower.close();
        } finally {
            deadLetters.close();
        }
    }
}
