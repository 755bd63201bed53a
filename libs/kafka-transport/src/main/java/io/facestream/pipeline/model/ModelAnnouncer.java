package io.facestream.pipeline.model;

import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.ModelStatus;
import io.facestream.schema.ModelVersion;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes model versions to the compacted {@code models} topic. Two kinds of key, so compaction keeps what
 * matters: {@code <model>/<version>} holds each version's latest state (CANDIDATE → ACTIVE/REJECTED → RETIRED),
 * and the bare {@code <model>} key holds the version that is ACTIVE now — the record {@link ActiveModelFollower}
 * loads. A rejected candidate is therefore never written under the bare key and can never replace what serves.
 * Every record is signed ({@link ModelSigner}) with the state it announces, so loaders can tell this
 * retrainer's records from anyone else's, and every write waits for the broker's acknowledgement.
 */
public final class ModelAnnouncer implements AutoCloseable {

    private static final Duration ACK_WITHIN = Duration.ofSeconds(30);

    private final Topics topics;
    private final ModelSigner signer;
    private final KafkaProducer<String, byte[]> producer;

    public ModelAnnouncer(KafkaClientSettings kafka, Topics topics, ModelSigner signer) {
        this.topics = topics;
        this.signer = signer;
        producer = new KafkaProducer<>(kafka.producer(), new StringSerializer(), new ByteArraySerializer());
    }

    /** The key of one version's own record. */
    public static String versionKey(String modelName, String version) {
        return modelName + "/" + version;
    }

    /** Records a version's state (CANDIDATE, REJECTED, RETIRED) under its own key. */
    public void record(ModelVersion version) {
        if (version.getStatus() == ModelStatus.ACTIVE) {
            throw new IllegalArgumentException("an ACTIVE version is announced with activate()");
        }
        send(versionKey(version.getModelName(), version.getVersion()), version);
    }

    /**
     * Makes a version the one that serves. The model's pointer is written first: it is the commit point (what
     * the embedder loads); the version's own record then says ACTIVE and the previous one RETIRED. Readers
     * that see only part of this take the pointer's word ({@link ModelCatalog}).
     */
    public void activate(ModelVersion version, ModelVersion previous) {
        ModelVersion active = ModelVersion.newBuilder(version).setStatus(ModelStatus.ACTIVE).build();
        send(active.getModelName(), active);
        send(versionKey(active.getModelName(), active.getVersion()), active);
        if (previous != null && !previous.getVersion().equals(active.getVersion())) {
            record(ModelVersion.newBuilder(previous).setStatus(ModelStatus.RETIRED).build());
        }
    }

    private void send(String key, ModelVersion unsigned) {
        ModelVersion value = signer.sign(unsigned);
        try {
            producer.send(new ProducerRecord<>(topics.models().name(), key, topics.models().encode(value)))
                    .get(ACK_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not accept the models record " + key + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while announcing " + key, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
