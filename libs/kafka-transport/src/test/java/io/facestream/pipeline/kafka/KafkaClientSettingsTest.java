package io.facestream.pipeline.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.pipeline.topics.FrameLimits;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class KafkaClientSettingsTest {

    private final KafkaClientSettings kafka = KafkaClientSettings.of("broker:9092");

    @Test
    void producersAreDurableAndIdempotentAndKeepKafkasRecordSizeUnlessAskedForMore() {
        Properties p = kafka.producer();
        assertEquals("broker:9092", p.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        assertEquals("all", p.get(ProducerConfig.ACKS_CONFIG));
        assertEquals("true", p.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertFalse(p.containsKey(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        assertFalse(p.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG));

        Properties frames = kafka.producer(FrameLimits.MAX_RECORD_BYTES);
        assertEquals(Integer.toString(FrameLimits.MAX_RECORD_BYTES), frames.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
    }

    @Test
    void aStageProducerIsTransactionalAndFitsTheDeadLetterCopyOfItsLargestInput() {
        Properties p = kafka.transactionalProducer("detector-pod-1", FrameLimits.MAX_RECORD_BYTES);
        assertEquals("detector-pod-1", p.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG));
        assertEquals("true", p.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertEquals(Integer.toString(FrameLimits.MAX_RECORD_BYTES), p.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        assertThrows(IllegalArgumentException.class, () -> kafka.transactionalProducer(" ", 1));
    }

    @Test
    void frameConsumersFetchAWholeFrameAndReadOnlyCommittedRecords() {
        Properties c = kafka.groupConsumer("detector", FrameLimits.MAX_RECORD_BYTES);
        assertEquals("detector", c.get(ConsumerConfig.GROUP_ID_CONFIG));
        assertEquals("earliest", c.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG));
        assertEquals("false", c.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
        assertEquals("read_committed", c.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        assertTrue(Integer.parseInt((String) c.get(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG))
                >= FrameLimits.MAX_RECORD_BYTES);
        assertTrue(Integer.parseInt((String) c.get(ConsumerConfig.FETCH_MAX_BYTES_CONFIG)) >= FrameLimits.MAX_RECORD_BYTES);

        Properties follower = kafka.follower(KafkaClientSettings.DEFAULT_MAX_RECORD_BYTES);
        assertFalse(follower.containsKey(ConsumerConfig.GROUP_ID_CONFIG));
        assertFalse(follower.containsKey(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG));
        assertEquals("read_committed", follower.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
    }

    @Test
    void commonSettingsReachEveryKindOfClient() {
        KafkaClientSettings secured = kafka.with("security.protocol", "SASL_SSL");
        for (Properties p : new Properties[] {secured.producer(), secured.transactionalProducer("t", 1),
                secured.follower(1), secured.groupConsumer("g", 1), secured.admin(), secured.streams()}) {
            assertEquals("SASL_SSL", p.get("security.protocol"));
            assertEquals("broker:9092", p.get("bootstrap.servers"));
        }
        assertEquals(Map.of(), kafka.common(), "with() returns a copy");
        assertThrows(IllegalArgumentException.class, () -> KafkaClientSettings.of(""));
        assertThrows(IllegalArgumentException.class,
                () -> new KafkaClientSettings("a:1", Map.of("bootstrap.servers", "b:2")));
    }
}
