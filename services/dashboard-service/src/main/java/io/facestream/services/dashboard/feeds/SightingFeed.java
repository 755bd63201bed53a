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

/**
 * The dashboard's own view of the compacted {@code sightings} topic: the latest state of the most recently
 * updated sightings ({@link SightingsView}), for the review queue and labelling a sighting.
 */
// Eager: it must be following the topic before the first request asks for the queue.
@Context
public class SightingFeed implements Monitored {

    private static final Logger LOG = LoggerFactory.getLogger(SightingFeed.class);

    private final Topics topics;
    private final SightingsView view;
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

    private void add(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            if (r.key() != null) {
                view.remove(r.key());
            }
            return;
        }
        try {
            view.put(topics.sightings().valueSerde().deserializer().deserialize(r.topic(), r.value()));
        } catch (SerializationException e) {
            LOG.warn("skipping undecodable sighting at partition {} offset {}: {}", r.partition(), r.offset(),
                    e.getMessage());
        }
    }

    @PreDestroy
    void close() {
        follower.close();
    }

    /** Its follower thread, for {@code /health}. */
    @Override
    public List<LoopStatus> loops() {
        return follower.loops();
    }
}
