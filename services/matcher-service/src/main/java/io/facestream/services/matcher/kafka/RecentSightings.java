package io.facestream.services.matcher.kafka;

import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.pipeline.sightings.SightingsView;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Decision;
import io.facestream.schema.Sighting;
import io.facestream.services.common.config.PipelineConfig;
import io.facestream.services.matcher.config.MatcherConfig;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Follows the compacted {@code sightings} topic into a bounded {@link SightingsView} (the latest state of the
 * most recently updated sightings) and fans every new state out to live subscribers (server-sent events).
 */
// Eager: it must be following the topic before the first request asks for sightings.
@Context
public class RecentSightings implements Monitored {

    /** Events held per live subscriber that has not caught up yet. */
    static final int LIVE_BUFFER = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(RecentSightings.class);

    private final Topics topics;
    private final SightingsView view;
    private final Sinks.Many<Sighting> live = Sinks.many().multicast().directBestEffort();
    private final TopicFollower follower;

    public RecentSightings(PipelineConfig pipeline, MatcherConfig config, Topics topics) {
        this.topics = topics;
        this.view = new SightingsView(config.recentSightings());
        // The latest states of a compacted topic are at its end: this many records per partition refill the view.
        follower = new TopicFollower("recent-sightings", pipeline.kafka(ServicePrincipal.MATCHER),
                List.of(topics.sightings().name()), config.recentSightings(), this::add).start();
    }

    /** Up to {@code limit} sightings, latest face first; {@code cameraId} and {@code decision} may be null (any). */
    public List<Sighting> latest(String cameraId, Decision decision, int limit) {
        return view.latest(cameraId, decision, limit);
    }

    public Optional<Sighting> get(String sightingId) {
        return view.get(sightingId);
    }

    /**
     * Every new state of a sighting committed from now on. Each subscriber gets its own buffer of
     * {@link #LIVE_BUFFER}: the sink is best-effort (it drops what a subscriber has not asked for yet), and an SSE
     * response may ask for one event at a time, so a burst — one poll's worth — would otherwise lose all but the
     * first; beyond the buffer, a slow subscriber loses the oldest.
     */
    public Flux<Sighting> live() {
        return live.asFlux().onBackpressureBuffer(LIVE_BUFFER,
                dropped -> LOG.debug("slow subscriber missed a sighting"), BufferOverflowStrategy.DROP_OLDEST);
    }

    private void add(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            if (r.key() != null) {
                view.remove(r.key());
            }
            return;
        }
        try {
            Sighting s = topics.sightings().valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (view.put(s)) {
                live.tryEmitNext(s);
            }
        } catch (SerializationException e) {
            LOG.warn("skipping undecodable sighting at partition {} offset {}: {}", r.partition(), r.offset(),
                    e.getMessage());
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
