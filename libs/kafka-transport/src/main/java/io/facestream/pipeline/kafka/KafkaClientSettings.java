package io.facestream.pipeline.kafka;

import io.facestream.kafka.security.ScramLogin;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The one place that builds the settings of the pipeline's Kafka clients. Every producer, consumer and Streams
 * application starts from here, so a setting every client needs (the security protocol and the SASL/SCRAM login
 * of the service, {@link #withLogin}) is added once, in {@link #common}, and reaches all of them.
 *
 * <p>Each method returns a fresh {@link Properties}; a caller adds its own tuning (linger, poll size) on top.
 * Record sizes are explicit: a client of a topic whose records may be larger than Kafka's 1 MiB default (the
 * {@code frames} topic and its dead letters, {@code FrameLimits.MAX_RECORD_BYTES}) asks for that size, and the
 * others keep Kafka's defaults.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param common settings every client gets (any producer, consumer or admin key, e.g. {@code security.protocol})
 */
public record KafkaClientSettings(String bootstrapServers, Map<String, String> common) {

    /** Kafka's default for {@code max.request.size} and {@code max.partition.fetch.bytes} (1 MiB). */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;

    /** Kafka's default for {@code fetch.max.bytes} (50 MiB): a consumer's fetch already holds a large record. */
    private static final int DEFAULT_FETCH_MAX_BYTES = 50 << 20;

    public KafkaClientSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers are required");
        }
        if (common.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("bootstrap.servers is its own setting, not a common one");
        }
        common = Map.copyOf(common);
    }

    /** Plain settings: just where Kafka is. */
    public static KafkaClientSettings of(String bootstrapServers) {
        return new KafkaClientSettings(bootstrapServers, Map.of());
    }

    /** These settings plus one more common setting. */
    public KafkaClientSettings with(String key, String value) {
        Map<String, String> more = new TreeMap<>(common);
        more.put(key, value);
        return new KafkaClientSettings(bootstrapServers, more);
    }

    /** These settings plus the SCRAM {@code login} over {@code securityProtocol} ({@code SASL_PLAINTEXT}/{@code SASL_SSL}). */
    public KafkaClientSettings withLogin(String securityProtocol, ScramLogin login) {
        Map<String, String> more = new TreeMap<>(common);
        more.putAll(login.clientSettings(securityProtocol));
        return new KafkaClientSettings(bootstrapServers, more);
    }

    /** Bootstrap servers and the common settings: an admin client, or the base of the others. */
    public Properties admin() {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.putAll(common);
        return p;
    }

    /**
     * A Kafka Streams application: Streams passes unprefixed client settings to its own producers, consumers
     * and admin client, so the common settings reach all of them.
     */
    public Properties streams() {
        return admin();
    }

    /**
     * A producer whose every send is durable and written once: {@code acks=all} (every in-sync replica) and
     * idempotence (a retried send is not duplicated), for records of up to Kafka's default size.
     */
    public Properties producer() {
        return producer(DEFAULT_MAX_RECORD_BYTES);
    }

    /** {@link #producer()} for records of up to {@code maxRecordBytes} (the topic's {@code max.message.bytes}). */
    public Properties producer(int maxRecordBytes) {
        Properties p = admin();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        sizeProducer(p, maxRecordBytes);
        return p;
    }

    /**
     * A transactional producer (a stage's outputs, dead letters and offsets in one transaction), for records of
     * up to {@code maxRecordBytes}: a dead letter copies its input record, so a stage that reads large records
     * must be able to write them too.
     */
    public Properties transactionalProducer(String transactionalId, int maxRecordBytes) {
        if (transactionalId == null || transactionalId.isBlank()) {
            throw new IllegalArgumentException("a transactional producer needs a transactional id");
        }
        Properties p = producer(maxRecordBytes);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return p;
    }

    /**
     * A consumer without a group that reads only committed records and never commits offsets (a follower that
     * keeps a view of a topic), able to fetch records of up to {@code maxRecordBytes}.
     */
    public Properties follower(int maxRecordBytes) {
        Properties p = admin();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        sizeConsumer(p, maxRecordBytes);
        return p;
    }

    /**
     * A member of consumer group {@code groupId} that reads only committed records from the earliest offset
     * and commits nothing by itself (a transactional stage commits its offsets with its outputs), able to
     * fetch records of up to {@code maxRecordBytes}.
     */
    public Properties groupConsumer(String groupId, int maxRecordBytes) {
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("a group consumer needs a group id");
        }
        Properties p = follower(maxRecordBytes);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }

    private static void sizeProducer(Properties p, int maxRecordBytes) {
        checkSize(maxRecordBytes);
        if (maxRecordBytes > DEFAULT_MAX_RECORD_BYTES) {
            p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(maxRecordBytes));
        }
    }

    private static void sizeConsumer(Properties p, int maxRecordBytes) {
        checkSize(maxRecordBytes);
        // Both are soft limits since Kafka 0.10.1 (a larger first batch is still returned), but a fetch sized
        // below one record returns one record per round trip; sized to the record, a fetch carries a full one.
        if (maxRecordBytes > DEFAULT_MAX_RECORD_BYTES) {
            p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(maxRecordBytes));
            p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(Math.max(DEFAULT_FETCH_MAX_BYTES,
                    maxRecordBytes)));
        }
    }

    private static void checkSize(int maxRecordBytes) {
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be positive, was " + maxRecordBytes);
        }
    }
}
