package io.facestream.services.matcher.kafka;

import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Match;
import io.facestream.services.common.config.PipelineConfig;
import io.facestream.services.matcher.config.MatcherConfig;
import jakarta.annotation.PreDestroy;
import io.micronaut.context.annotation.Context;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Follows the committed {@code matches} topic: keeps the most recent ones for queries and fans every new one
 * out to live subscribers (server-sent events).
 */
// Eager: it must be following the topic before the first request asks for recent matches.
@Context
public class RecentMatches {

    private static final Logger LOG = LoggerFactory.getLogger(RecentMatches.class);

    private final Topics topics;
    private final int capacity;
    private final Deque<Match> recent = new ArrayDeque<>();
    private final Sinks.Many<Match> live = Sinks.many().multicast().directBestEffort();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    public RecentMatches(PipelineConfig pipeline, MatcherConfig config, Topics topics) {
        this.topics = topics;
        this.capacity = config.recentMatches();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::run, "recent-matches");
        thread.setDaemon(true);
        thread.start();
    }

    /** Up to {@code limit} matches, most recent first. */
    public synchronized List<Match> latest(int limit) {
        List<Match> out = new ArrayList<>(Math.min(limit, recent.size()));
        var it = recent.descendingIterator();
        while (it.hasNext() && out.size() < limit) {
            out.add(it.next());
        }
        return out;
    }

    /** Matches committed from now on. */
    public Flux<Match> live() {
        return live.asFlux();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.matches().name(), Duration.ofSeconds(30))
                    .stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            // Start far enough back to fill the buffer after a restart.
            end.forEach((tp, offset) -> consumer.seek(tp, Math.max(0, offset - capacity)));
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    add(r);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("recent matches follower stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    private void add(ConsumerRecord<String, byte[]> r) {
        try {
            Match m = topics.matches().valueSerde().deserializer().deserialize(r.topic(), r.value());
            synchronized (this) {
                recent.addLast(m);
                while (recent.size() > capacity) {
                    recent.removeFirst();
                }
            }
            live.tryEmitNext(m);
        } catch (SerializationException e) {
            LOG.warn("skipping undecodable match at offset {}: {}", r.offset(), e.getMessage());
        }
    }

    @PreDestroy
    void close() {
        running = false;
        consumer.wakeup();
        live.tryEmitComplete();
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
