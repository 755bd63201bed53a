package io.facestream.pipeline.access;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one principal may do on Kafka, by name: the topics it reads and writes, the consumer groups it joins,
 * the prefixes of its transactional ids, and the prefix of topics it owns outright (a Kafka Streams
 * application's internal topics). {@link AccessPolicy} turns it into ACLs; the Strimzi {@code KafkaUser}s are
 * checked against it.
 */
public record Access(ServicePrincipal principal, Set<String> reads, Set<String> writes, Set<String> groups,
        Set<String> transactionalIdPrefixes, Set<String> ownedTopicPrefixes) {

    public Access {
        Objects.requireNonNull(principal, "principal");
        reads = Set.copyOf(reads);
        writes = Set.copyOf(writes);
        groups = Set.copyOf(groups);
        transactionalIdPrefixes = Set.copyOf(transactionalIdPrefixes);
        ownedTopicPrefixes = Set.copyOf(ownedTopicPrefixes);
    }

    /** Every topic named in {@link #reads()} or {@link #writes()}, sorted. */
    public Set<String> topics() {
        Set<String> all = new TreeSet<>(reads);
        all.addAll(writes);
        return all;
    }
}
