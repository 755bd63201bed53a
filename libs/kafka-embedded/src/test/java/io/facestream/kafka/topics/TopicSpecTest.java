package io.facestream.kafka.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TopicSpecTest {

    @Test
    void compactedSpecAddsTheCleanupPolicy() {
        TopicSpec spec = TopicSpec.compacted("gallery", 3).withConfig("min.compaction.lag.ms", "0");

        assertEquals(Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0"), spec.effectiveConfigs());
        assertEquals(Map.of("min.compaction.lag.ms", "0"), spec.configs());
    }

    @Test
    void plainSpecHasOnlyItsOwnConfigs() {
        assertEquals(Map.of(), TopicSpec.of("frames", 6).effectiveConfigs());
        assertEquals(Map.of("retention.ms", "60000"),
                TopicSpec.of("frames", 6).withConfig("retention.ms", "60000").effectiveConfigs());
    }

    @Test
    void explicitCompactAndDeletePolicyIsKept() {
        TopicSpec spec = new TopicSpec("t", 1, true, Map.of("cleanup.policy", "compact,delete"));

        assertEquals("compact,delete", spec.effectiveConfigs().get("cleanup.policy"));
    }

    @Test
    void contradictingCleanupPolicyIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new TopicSpec("t", 1, true, Map.of("cleanup.policy", "delete")));
        assertThrows(IllegalArgumentException.class,
                () -> TopicSpec.of("t", 1).withConfig("cleanup.policy", "compact"));
    }

    @Test
    void badNamesAndPartitionCountsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> TopicSpec.of("", 1));
        assertThrows(IllegalArgumentException.class, () -> TopicSpec.of("..", 1));
        assertThrows(IllegalArgumentException.class, () -> TopicSpec.of("with space", 1));
        assertThrows(IllegalArgumentException.class, () -> TopicSpec.of("x".repeat(250), 1));
        assertThrows(IllegalArgumentException.class, () -> TopicSpec.of("ok", 0));
    }

    @Test
    void configsAreCopied() {
        Map<String, String> configs = new HashMap<>(Map.of("retention.ms", "1"));
        TopicSpec spec = new TopicSpec("t", 1, false, configs);
        configs.put("retention.ms", "2");

        assertEquals("1", spec.configs().get("retention.ms"));
    }

    @Test
    void duplicateNamesWithDifferentSpecsAreRejectedBeforeTalkingToKafka() {
        assertThrows(IllegalArgumentException.class, () -> TopicCreator.createAll(null,
                List.of(TopicSpec.of("t", 1), TopicSpec.of("t", 2)), Duration.ofSeconds(1)));
    }
}
