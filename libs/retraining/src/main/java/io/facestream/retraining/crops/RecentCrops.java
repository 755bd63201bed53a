package io.facestream.retraining.crops;

import io.facestream.pipeline.health.LoopStatus;
import io.facestream.pipeline.health.Monitored;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.pipeline.follow.TopicFollower;
import io.facestream.pipeline.kafka.KafkaClientSettings;
import io.facestream.pipeline.quality.QualityRecords;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.FaceCrop;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crops of recent faces, read from the {@code faces} topic into a {@link CropCache}. Feedback and faces
 * travel on different topics, so a label can arrive before its face has been read: a miss waits until
 * everything written to {@code faces} so far has been read, then answers for good.
 */
public final class RecentCrops implements AutoCloseable, Monitored {

    private static final Logger LOG = LoggerFactory.getLogger(RecentCrops.class);

    private final Topics topics;
    private final CropCache cache;
    private final TopicFollower follower;
    private final Duration syncTimeout;

    /**
     * @param lookBack faces per partition read at start-up (labels of faces older than what the cache holds
     *     are answered "unavailable")
     */
    public RecentCrops(KafkaClientSettings kafka, Topics topics, CropCache cache, long lookBack, Duration syncTimeout) {
        this.topics = topics;
        this.cache = cache;
        this.syncTimeout = syncTimeout;
        this.follower = new TopicFollower("recent-crops", kafka, List.of(topics.faces().name()), lookBack,
                this::apply);
    }

    public RecentCrops start() {
        follower.start();
        return this;
    }

    /** The crop of a face, or empty when it is not (or no longer) known. */
    public Optional<KnownCrop> crop(String faceId) throws InterruptedException {
        Optional<KnownCrop> crop = cache.get(faceId);
        if (crop.isEmpty() && follower.sync(syncTimeout)) {
            crop = cache.get(faceId);
        }
        return crop;
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        try {
            FaceCrop face = topics.faces().decode(r.value());
            ByteBuffer png = face.getAlignedCrop();
            byte[] bytes = new byte[png.remaining()];
            png.duplicate().get(bytes);
            cache.put(face.getFaceId(), new KnownCrop(bytes,
                    Optional.ofNullable(face.getQuality()).map(QualityRecords::fromAvro)));
        } catch (RejectedRecordException e) {
            LOG.debug("skipping faces record at offset {}: {}", r.offset(), e.getMessage());
        }
    }

    /** Its follower thread, for {@code /health}. */
    @Override
    public List<LoopStatus> loops() {
        return follower.loops();
    }

    @Override
    public void close() {
        follower.close();
    }
}
