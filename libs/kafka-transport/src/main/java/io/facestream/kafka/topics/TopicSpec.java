package io.facestream.kafka.topics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.TopicConfig;

/**
 * A topic to create: name, partition count, whether it is compacted, and extra topic configs.
 * The replication factor is left to the broker ({@code default.replication.factor}).
 *
 * @param name       a legal Kafka topic name
 * @param partitions at least 1
 * @param compacted  {@code true} for {@code cleanup.policy=compact}
 * @param configs    extra topic configs (e.g. {@code retention.ms}); copied. A {@code cleanup.policy} here must
 *                   agree with {@code compacted}
 */
public record TopicSpec(String name, int partitions, boolean compacted, Map<String, String> configs) {

    private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (!LEGAL_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("illegal topic name '" + name
                    + "': use 1 to 249 of [a-zA-Z0-9._-], not '.' or '..'");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1, was " + partitions);
        }
        Objects.requireNonNull(configs, "configs");
        configs.forEach((key, value) -> {
            Objects.requireNonNull(key, "config key");
            Objects.requireNonNull(value, () -> "config value for " + key);
        });
        String policy = configs.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        if (policy != null && policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT) != compacted) {
            throw new IllegalArgumentException("topic " + name + ": cleanup.policy=" + policy
                    + " contradicts compacted=" + compacted);
        }
        configs = Map.copyOf(configs);
    }

    /** A plain (delete-policy) topic. */
    public static TopicSpec of(String name, int partitions) {
        return new TopicSpec(name, partitions, false, Map.of());
    }

    /** A compacted topic ({@code cleanup.policy=compact}). */
    public static TopicSpec compacted(String name, int partitions) {
        return new TopicSpec(name, partitions, true, Map.of());
    }

    /** The same spec with one more topic config. */
    public TopicSpec withConfig(String key, String value) {
        Map<String, String> merged = new LinkedHashMap<>(configs);
        merged.put(key, value);
        return new TopicSpec(name, partitions, compacted, merged);
    }

    /** The configs to create the topic with: {@link #configs()} plus {@code cleanup.policy=compact} if compacted. */
    public Map<String, String> effectiveConfigs() {
        if (!compacted || configs.containsKey(TopicConfig.CLEANUP_POLICY_CONFIG)) {
            return configs;
        }
        Map<String, String> merged = new LinkedHashMap<>(configs);
        merged.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        return Map.copyOf(merged);
    }
}
