package io.facestream.pipeline.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.kafka.topics.TopicSpec;
import io.facestream.pipeline.deadletter.DeadLetter;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

class TopicsTest {

    private final Topics topics = new Topics(4);
    private final Map<String, TopicSpec> specs = topics.specs().stream()
            .collect(Collectors.toMap(TopicSpec::name, Function.identity()));

    @Test
    void topicsAndTheirSerdesAreBuiltOnce() {
        assertSame(topics.frames(), topics.frames());
        assertSame(topics.frames().valueSerde(), topics.frames().valueSerde());
        assertSame(topics.sightings(), topics.sightings());
    }

    @Test
    void framesHoldTheLargestFrameAndItsDeadLetterHoldsItsHeadersToo() {
        String frames = specs.get("frames").configs().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        String deadLetters = specs.get("frames.dlq").configs().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        assertEquals(FrameLimits.MAX_RECORD_BYTES, Integer.parseInt(frames));
        assertEquals(FrameLimits.MAX_RECORD_BYTES + DeadLetter.HEADROOM_BYTES, Integer.parseInt(deadLetters));
        assertTrue(FrameLimits.MAX_RECORD_BYTES > FrameLimits.MAX_IMAGE_BYTES);
    }

    @Test
    void sightingsAreCompactedAndDeadLettersKeptLikeTheirSource() {
        assertTrue(specs.get("sightings").compacted());
        assertEquals(4, specs.get("sightings").partitions());
        assertEquals(specs.get("faces").configs(), specs.get("faces.dlq").configs(), "a dead-letter topic is kept like its source");
    }

    @Test
    void clustersAreOneCompactedErasablePartition() {
        assertTrue(specs.get("clusters").compacted());
        assertEquals(1, specs.get("clusters").partitions());
        assertEquals(specs.get("identities").configs(), specs.get("clusters").configs(),
                "a cluster names a person: erased within the same bound as the identities");
    }

    @Test
    void erasureMarkersOutliveEveryTopicThatHoldsFacesAndHaveNoByteCap() {
        TopicSpec erasures = specs.get("face-erasures");
        assertFalse(erasures.compacted(), "deleted by age: a marker lives its whole retention");
        assertEquals(1, erasures.partitions());
        long kept = Long.parseLong(erasures.configs().get(TopicConfig.RETENTION_MS_CONFIG));
        assertEquals(Topics.ERASURES_RETENTION_MS, kept);
        assertTrue(kept > Topics.MATCHES_RETENTION_MS, "longer than matches (7 days)");
        assertTrue(kept > 7 * 24 * 3600_000L, "longer than embeddings (the broker default, 7 days)");
        assertFalse(erasures.configs().containsKey(TopicConfig.RETENTION_BYTES_CONFIG),
                "a byte cap could delete a marker before its face");
        assertSame(topics.faceErasures(), topics.faceErasures());
    }
}
