package io.facestream.services.dashboard.feeds;

import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.pipeline.sightings.TrackFaces;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Match;
import io.facestream.services.common.config.PipelineConfig;
import io.facestream.services.dashboard.config.DashboardConfig;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
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
 * The dashboard's own view of the committed {@code matches} topic: the latest matches for the review queue, and
 * which faces belong to which sighting (track), for labelling a sighting. Bounded by {@link DashboardConfig}.
 */
// Eager: it must be following the topic before the first request asks for the queue.
@Context
public class MatchFeed implements Monitored {

    /** Events held per live subscriber that has not caught up yet (as the matcher's). */
    static final int LIVE_BUFFER = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(MatchFeed.class);

    private final Topics topics;
    private final int capacity;
    private final Deque<Match> recent = new ArrayDeque<>();
    private final TrackFaces trackFaces;
    private final Sinks.Many<Match> live = Sinks.many().multicast().directBestEffort();
    private final TopicFollower follower;

    public MatchFeed(PipelineConfig pipeline, DashboardConfig config, Topics topics) {
        this.topics = topics;
        this.capacity = config.recentMatches();
        this.trackFaces = new TrackFaces(config.sightingFaces(), config.facesPerSighting());
        // far enough back to fill the buffer after a restart
        follower = new TopicFollower("dashboard-matches", pipeline.kafka(ServicePrincipal.DASHBOARD),
                List.of(topics.matches().name()), capacity, this::add).start();
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

    /** Face ids of the track (= sighting id) still indexed, in the order they were matched. */
    public List<String> facesOfTrack(String trackId) {
        return trackFaces.faces(trackId);
    }

    /**
     * Every match read from now on, for the page's live stream (server-sent events). Each subscriber gets its own
     * buffer of {@link #LIVE_BUFFER}: the sink is best-effort (it drops what a subscriber has not asked for yet),
     * and an SSE response may ask for one event at a time; beyond the buffer, a slow subscriber loses the oldest.
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
