package io.facestream.services.matcher.kafka;

import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.sightings.TrackFaces;
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
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Follows the committed {@code matches} topic: keeps the most recent ones for queries, fans every new one
 * out to live subscribers (server-sent events), and remembers which faces belong to which track (sighting),
 * beyond the recent matches themselves, so a sighting's faces can be listed and labelled.
 */
// Eager: it must be following the topic before the first request asks for recent matches.
@Context
public class RecentMatches implements Monitored {

    /** Events held per live subscriber that has not caught up yet. */
    static final int LIVE_BUFFER = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(RecentMatches.class);

    private final Topics topics;
    private final int capacity;
    private final Deque<Match> recent = new ArrayDeque<>();
    private final Sinks.Many<Match> live = Sinks.many().multicast().directBestEffort();
    private final TrackFaces trackFaces;
    private final TopicFollower follower;

    public RecentMatches(PipelineConfig pipeline, MatcherConfig config, Topics topics) {
        this.topics = topics;
        this.capacity = config.recentMatches();
        this.trackFaces = new TrackFaces(config.sightingFaces(), config.facesPerSighting());
        // Start far enough back to fill the buffer after a restart.
        follower = new TopicFollower("recent-matches", pipeline.kafka(ServicePrincipal.MATCHER), List.of(topics.matches().name()),
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

    /** Face ids of the track (= sighting id) among the faces still indexed, in the order they were matched. */
    public List<String> facesOfTrack(String trackId) {
        return trackFaces.faces(trackId);
    }

    /**
     * Matches committed from now on. Each subscriber gets its own buffer of
     * {@link #LIVE_BUFFER}: the sink is best-effort (it drops what a subscriber has not asked for yet), and an SSE
     * response may ask for one event at a time, so a burst — one poll's worth — would otherwise lose all but the
     * first; beyond the buffer, a slow subscriber loses the oldest.
     */
    public Flux<Match> live() {
        return live.asFlux().onBackpressureBuffer(LIVE_BUFFER,
                dropped -> LOG.debug("slow subscriber missed a match"), BufferOverflowStrategy.DROP_OLDEST);
    }

    private void add(ConsumerRecord<String, byte[]> r) {
        try {
            Match m = topics.matches().valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (m.getTrackId() != null) {
                trackFaces.add(m.getTrackId(), m.getFaceId());
            }
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
