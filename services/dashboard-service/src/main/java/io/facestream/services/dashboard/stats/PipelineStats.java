package io.facestream.services.dashboard.stats;

import io.facestream.pipeline.access.ServicePrincipal;
import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Decision;
import io.facestream.schema.FrameResult;
import io.facestream.schema.Match;
import io.facestream.services.common.config.PipelineConfig;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames, faces and matches per camera and minute (the last {@link #MINUTES} minutes), and the distribution of
 * best-candidate cosines, from the {@code frame-results} and {@code matches} topics.
 */
@Context
public class PipelineStats implements Monitored {

    public static final int MINUTES = 120;
    public static final int BINS = 20;
    private static final Logger LOG = LoggerFactory.getLogger(PipelineStats.class);

    /** One camera's counts in one minute. */
    public record Bucket(Instant minute, String cameraId, long frames, long faces, long matches) {
    }

    /** Counts since the topics began. */
    public record Totals(long frames, long faces, long matches) {
    }

    private final Topics topics;
    private final Map<String, TreeMap<Instant, long[]>> perCamera = new ConcurrentHashMap<>();
    private final long[] knownScores = new long[BINS];
    private final long[] unknownScores = new long[BINS];
    private final TopicFollower follower;

    public PipelineStats(PipelineConfig config, Topics topics) {
        this.topics = topics;
        follower = new TopicFollower("pipeline-stats", config.kafka(ServicePrincipal.DASHBOARD),
                List.of(topics.frameResults().name(), topics.matches().name()), -1, this::apply).start();
    }

    public Set<String> cameras() {
        return Set.copyOf(perCamera.keySet());
    }

    public synchronized Totals totals(String cameraId) {
        long[] t = new long[3];
        perCamera.getOrDefault(cameraId, new TreeMap<>()).values().forEach(c -> {
            for (int i = 0; i < 3; i++) {
                t[i] += c[i];
            }
        });
        return new Totals(t[0], t[1], t[2]);
    }

    public synchronized List<Bucket> minutes() {
        List<Bucket> out = new ArrayList<>();
        perCamera.forEach((camera, minutes) -> minutes.forEach((minute, c) ->
                out.add(new Bucket(minute, camera, c[0], c[1], c[2]))));
        out.sort((a, b) -> a.minute().equals(b.minute()) ? a.cameraId().compareTo(b.cameraId())
                : a.minute().compareTo(b.minute()));
        return out;
    }

    /** Histogram bin edges from −1 to 1. */
    public static double[] edges() {
        double[] e = new double[BINS + 1];
        for (int i = 0; i <= BINS; i++) {
            e[i] = -1 + 2.0 * i / BINS;
        }
        return e;
    }

    public synchronized long[] scores(boolean known) {
        return (known ? knownScores : unknownScores).clone();
    }

    private synchronized void apply(ConsumerRecord<String, byte[]> r) {
        try {
            if (r.topic().equals(topics.frameResults().name())) {
                FrameResult f = topics.frameResults().valueSerde().deserializer().deserialize(r.topic(), r.value());
                long[] c = bucket(f.getCameraId(), f.getCapturedAt());
                c[0]++;
                c[1] += f.getFaceCount();
            } else {
                Match m = topics.matches().valueSerde().deserializer().deserialize(r.topic(), r.value());
                bucket(m.getCameraId(), m.getCapturedAt())[2]++;
                if (!m.getCandidates().isEmpty()) {
                    double s = m.getCandidates().get(0).getScore();
                    int bin = Math.max(0, Math.min(BINS - 1, (int) Math.floor((s + 1) / 2 * BINS)));
                    (m.getDecision() == Decision.KNOWN ? knownScores : unknownScores)[bin]++;
                }
            }
        } catch (SerializationException | NullPointerException e) {
            LOG.debug("skipping {} record at offset {}", r.topic(), r.offset());
        }
    }

    private long[] bucket(String cameraId, Instant at) {
        TreeMap<Instant, long[]> minutes = perCamera.computeIfAbsent(cameraId, c -> new TreeMap<>());
        long[] c = minutes.computeIfAbsent(at.truncatedTo(ChronoUnit.MINUTES), m -> new long[3]);
        while (minutes.size() > MINUTES) {
            minutes.pollFirstEntry();
        }
        return c;
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
