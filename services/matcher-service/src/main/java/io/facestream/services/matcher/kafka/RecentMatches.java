package io.facestream.services.matcher.kafka;

import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Match;
import io.facestream.services.common.config.PipelineConfig;
import io.facestream.services.matcher.config.MatcherConfig;
import jakarta.annotation.PreDestroy;
import io.micronaut.context.annotation.Context;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
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
public class RecentMatches implements Monitored {

    private static final Logger LOG = LoggerFactory.getLogger(RecentMatches.class);

    private final Topics topics;
    private final int capacity;
    private final Deque<Match> recent = new ArrayDeque<>();
    private final Sinks.Many<Match> live = Sinks.many().multicast().directBestEffort();
    private final TopicFollower follower;

    public RecentMatches(PipelineConfig pipeline, MatcherConfig config, Topics topics) {
        this.topics = topics;
        this.capacity = config.recentMatches();
        // Start far enough back to fill the buffer after a restart.
        follower = new TopicFollower("recent-matches", pipeline.kafka(), List.of(topics.matches().name()),
                capacity, this::add).start();
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
        follower.close();
        live.tryEmitComplete();
    }

    /** Its follower thread, for {@code /health}. */
    @Override
    public List<LoopStatus> loops() {
        return follower.loops();
    }
}
