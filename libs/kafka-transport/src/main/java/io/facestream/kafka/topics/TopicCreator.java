package io.facestream.kafka.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates topics from {@link TopicSpec}s, for tests, the local demo and an init job. Auto-creation is off on our
 * brokers, so every topic is created here on purpose.
 */
public final class TopicCreator {

    private static final long POLL_MS = 50;

    private TopicCreator() {
    }

    /**
     * Creates the missing topics with their partitions and configs, and waits until every topic in {@code specs}
     * is visible with a leader for each partition. Idempotent: a topic that exists with the spec's partition
     * count is left as it is (its configs are not compared or changed).
     *
     * @return the names of the topics this call created (empty when all existed)
     * @throws IllegalArgumentException if two specs share a name but differ
     * @throws TopicMismatchException   if a topic exists with another partition count
     * @throws TopicCreationException   if the broker refuses a topic, or the topics are not visible in {@code timeout}
     */
    public static Set<String> createAll(Admin admin, Collection<TopicSpec> specs, Duration timeout) {
        Map<String, TopicSpec> byName = byName(specs);
        if (byName.isEmpty()) {
            return Set.of();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            Set<String> existing = get(admin.listTopics(new ListTopicsOptions().timeoutMs(remainingMs(deadline)))
                    .names(), deadline);
            List<String> present = byName.keySet().stream().filter(existing::contains).toList();
            if (!present.isEmpty()) {
                checkPartitionCounts(byName, get(admin.describeTopics(present,
                        new DescribeTopicsOptions().timeoutMs(remainingMs(deadline))).allTopicNames(), deadline));
            }
            List<TopicSpec> missing = byName.values().stream().filter(s -> !existing.contains(s.name())).toList();
            Set<String> created = create(admin, missing, deadline);
            awaitVisible(admin, byName, deadline);
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicCreationException("interrupted while creating topics " + byName.keySet(), e);
        } catch (TimeoutException e) {
            throw new TopicCreationException("topics " + byName.keySet() + " not ready within "
                    + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new TopicCreationException("could not create topics " + byName.keySet() + ": " + e.getCause(),
                    e.getCause());
        }
    }

    private static Map<String, TopicSpec> byName(Collection<TopicSpec> specs) {
        Map<String, TopicSpec> byName = new LinkedHashMap<>();
        for (TopicSpec spec : specs) {
            TopicSpec previous = byName.putIfAbsent(spec.name(), spec);
            if (previous != null && !previous.equals(spec)) {
                throw new IllegalArgumentException("two different specs for topic " + spec.name()
                        + ": " + previous + " and " + spec);
            }
        }
        return byName;
    }

    /** Creates the topics; one that appeared meanwhile (created by someone else) is not an error. */
    private static Set<String> create(Admin admin, List<TopicSpec> missing, long deadline)
            throws InterruptedException, TimeoutException, ExecutionException {
        if (missing.isEmpty()) {
            return Set.of();
        }
        List<NewTopic> newTopics = missing.stream()
                .map(s -> new NewTopic(s.name(), Optional.of(s.partitions()), Optional.empty())
                        .configs(s.effectiveConfigs()))
                .toList();
        Map<String, KafkaFuture<Void>> results = admin.createTopics(newTopics,
                new CreateTopicsOptions().timeoutMs(remainingMs(deadline))).values();
        Set<String> created = new TreeSet<>();
        for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
            try {
                get(result.getValue(), deadline);
                created.add(result.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        return created;
    }

    /** Polls describeTopics until every topic has its partitions, each with a leader. */
    private static void awaitVisible(Admin admin, Map<String, TopicSpec> byName, long deadline)
            throws InterruptedException, TimeoutException, ExecutionException {
        while (true) {
            try {
                Map<String, TopicDescription> descriptions = get(admin.describeTopics(byName.keySet(),
                        new DescribeTopicsOptions().timeoutMs(remainingMs(deadline))).allTopicNames(), deadline);
                checkPartitionCounts(byName, descriptions);
                if (descriptions.values().stream().allMatch(TopicCreator::hasLeaders)) {
                    return;
                }
            } catch (ExecutionException e) {
                boolean notYet = e.getCause() instanceof UnknownTopicOrPartitionException
                        || e.getCause() instanceof RetriableException;
                if (!notYet) {
                    throw e;
                }
            }
            if (remainingMs(deadline) <= POLL_MS) {
                throw new TimeoutException("topics not visible with leaders yet");
            }
            Thread.sleep(POLL_MS);
        }
    }

    private static void checkPartitionCounts(Map<String, TopicSpec> byName, Map<String, TopicDescription> found) {
        List<String> mismatches = new ArrayList<>();
        for (TopicDescription description : found.values()) {
            int wanted = byName.get(description.name()).partitions();
            int actual = description.partitions().size();
            if (wanted != actual) {
                mismatches.add(description.name() + " has " + actual + " partitions, spec wants " + wanted);
            }
        }
        if (!mismatches.isEmpty()) {
            throw new TopicMismatchException("existing topics differ from their specs: "
                    + String.join("; ", mismatches)
                    + ". Delete and recreate them (losing their data) or change the spec.");
        }
    }

    private static boolean hasLeaders(TopicDescription description) {
        return description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    }

    private static <T> T get(KafkaFuture<T> future, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private static int remainingMs(long deadline) {
        long ms = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }
}
