package io.facestream.pipeline.model;

import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.ModelStatus;
import io.facestream.schema.ModelVersion;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted {@code models} topic and keeps the ACTIVE version of one model loaded. A new ACTIVE
 * version is loaded (its artifact's SHA-256 checked first) and then swapped in whole, so a stage that asks
 * {@link #current()} once per batch switches between two batches without dropping a record; a version whose
 * artifact is missing or does not match its checksum is refused and the previous one keeps serving.
 *
 * @param <M> the loaded model, e.g. an embedder bound to its version
 */
public final class ActiveModelFollower<M> implements AutoCloseable, Monitored {

    private static final Logger LOG = LoggerFactory.getLogger(ActiveModelFollower.class);

    private final String modelName;
    private final Topics topics;
    private final BiFunction<ModelVersion, Path, M> loader;
    private final AtomicReference<M> current;
    private final AtomicReference<String> currentVersion;
    private final TopicFollower follower;

    /**
     * @param initial the model to serve until an ACTIVE version is announced
     * @param loader builds the model from a verified artifact
     */
    public ActiveModelFollower(KafkaClientSettings kafka, Topics topics, String modelName, M initial,
            String initialVersion, BiFunction<ModelVersion, Path, M> loader) {
        this.modelName = modelName;
        this.topics = topics;
        this.loader = loader;
        this.current = new AtomicReference<>(initial);
        this.currentVersion = new AtomicReference<>(initialVersion);
        this.follower = new TopicFollower("active-model-" + modelName, kafka,
                List.of(topics.models().name()), -1, r -> {
                    if (modelName.equals(r.key()) && r.value() != null) {
                        consider(r);
                    }
                });
    }

    public ActiveModelFollower<M> start() {
        follower.start();
        return this;
    }

    public M current() {
        return current.get();
    }

    public String currentVersion() {
        return currentVersion.get();
    }

    private void consider(ConsumerRecord<String, byte[]> r) {
        ModelVersion v;
        try {
            v = topics.models().valueSerde().deserializer().deserialize(r.topic(), r.value());
        } catch (SerializationException e) {
            LOG.warn("skipping undecodable models record at offset {}: {}", r.offset(), e.getMessage());
            return;
        }
        if (v.getStatus() != ModelStatus.ACTIVE || v.getVersion().equals(currentVersion.get())) {
            return;
        }
        try {
            Path artifact = artifactPath(v.getArtifactUri());
            String sha = sha256(artifact);
            if (!sha.equalsIgnoreCase(v.getSha256())) {
                LOG.error("refusing {} {}: artifact {} has SHA-256 {}, announced {}", modelName, v.getVersion(),
                        artifact, sha, v.getSha256());
                return;
            }
            M loaded = loader.apply(v, artifact);
            current.set(loaded);
            currentVersion.set(v.getVersion());
            LOG.info("{} switched to version {}", modelName, v.getVersion());
        } catch (IOException | RuntimeException e) {
            LOG.error("refusing {} {}: {}", modelName, v.getVersion(), e.getMessage());
        }
    }

    /** The file an artifact URI names ({@code file:} URIs and plain paths). */
    public static Path artifactPath(String uri) {
        return uri.startsWith("file:") ? Path.of(URI.create(uri)) : Path.of(uri);
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
        follower.close();
    }
}
