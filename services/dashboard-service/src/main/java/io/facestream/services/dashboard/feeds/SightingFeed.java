package io.facestream.services.dashboard.feeds;

import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.pipeline.sightings.SightingsView;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Decision;
import io.facestream.schema.Sighting;
import io.micronaut.core.annotation.Nullable;
import io.facestream.services.common.config.PipelineConfig;
import io.facestream.services.dashboard.config.DashboardConfig;
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
 * The dashboard's own view of the compacted {@code sightings} topic: the latest state of the most recently
 * updated sightings ({@link SightingsView}), for the review queue and labelling a sighting.
 */
// Eager: it must be following the topic before the first request asks for the queue.
@Context
public class SightingFeed implements Monitored {

    /** Events held per live subscriber that has not caught up yet (as the matcher's). */
    static final int LIVE_BUFFER = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(SightingFeed.class);

    private final Topics topics;
    private final SightingsView view;
    private final Sinks.Many<Sighting> live = Sinks.many().multicast().directBestEffort();
    private final TopicFollower follower;

    public SightingFeed(PipelineConfig pipeline, DashboardConfig config, Topics topics) {
        this.topics = topics;
        this.view = new SightingsView(config.recentSightings());
        // the latest states of a compacted topic are at its end: this many records per partition refill the view
        follower = new TopicFollower("dashboard-sightings", pipeline.kafka(ServicePrincipal.DASHBOARD),
                List.of(topics.sightings().name()), config.recentSightings(), this::add).start();
    }

    /** Up to {@code limit} sightings, latest face first, of any camera and decision. */
    public List<Sighting> latest(int limit) {
        return view.latest(null, null, limit);
    }

    /** Up to {@code limit} sightings, latest face first, of one camera and/or decision when given. */
    public List<Sighting> latest(@Nullable String cameraId, @Nullable Decision decision, int limit) {
        return view.latest(cameraId, decision, limit);
    }

    public Optional<Sighting> get(String sightingId) {
        return view.get(sightingId);
    }

    /**
     * Every new state of a sighting read from now on, for the page's live stream (server-sent events). Each subscriber gets its own
     * buffer of {@link #LIVE_BUFFER}: the sink is best-effort (it drops what a subscriber has not asked for yet),
     * and an SSE response may ask for one event at a time; beyond the buffer, a slow subscriber loses the oldest.
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
