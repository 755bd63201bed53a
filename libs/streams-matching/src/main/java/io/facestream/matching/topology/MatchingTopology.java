package io.facestream.matching.topology;

import io.facestream.pipeline.gallery.GalleryView;
import io.facestream.pipeline.deadletter.DeadLetterListener;
import io.facestream.pipeline.topics.Topics;
import java.time.Clock;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The matcher as a Kafka Streams topology: {@code embeddings} (keyed by camera) → nearest identities in the
 * gallery of the same model version → the camera's face track → {@code matches} (one per face, with its track
 * id) and {@code sightings} (one record per change of a track: opened, decision or best face changed, closed);
 * records that cannot be matched go to {@code embeddings.dlq} with the reason in headers. The trackers live in
 * the persistent, changelogged store {@link #TRACKS_STORE} (key camera id); a wall-clock punctuator closes the
 * tracks of cameras that went quiet. A pure function of its arguments: no I/O until Kafka Streams runs it.
 */
public final class MatchingTopology {

    static final String SOURCE = "embeddings-source";
    static final String MATCHER = "matcher";
    static final String MATCHES_SINK = "matches-sink";
    static final String DEAD_LETTER_SINK = "embeddings-dlq-sink";
    static final String SIGHTINGS_SINK = "sightings-sink";
    /** Each camera's tracker state (RocksDB, changelogged, so a restarted matcher resumes its tracks). */
    public static final String TRACKS_STORE = "camera-tracks";

    private MatchingTopology() {
    }

    public static Topology build(Topics topics, MatchConfig config, GalleryView gallery, Clock clock) {
        return build(topics, config, gallery, clock, new CameraSettings());
    }

    /** With run-time camera settings: thresholds and the enabled flag apply from the next face on. */
    public static Topology build(Topics topics, MatchConfig config, GalleryView gallery, Clock clock,
            CameraSettings cameras) {
        return build(topics, config, gallery, clock, cameras, GallerySync.NONE);
    }

    /**
     * @param sync called before the first match of each model version, so a version rolled out while the
     *     matcher runs is matched against its complete gallery
     */
    public static Topology build(Topics topics, MatchConfig config, GalleryView gallery, Clock clock,
            CameraSettings cameras, GallerySync sync) {
        return build(topics, config, TrackConfig.defaults(config.topK()), gallery, clock, cameras, sync);
    }

    /** @param deadLetters told of each record the topology routes to {@code embeddings.dlq} */
    public static Topology build(Topics topics, MatchConfig config, GalleryView gallery, Clock clock,
            CameraSettings cameras, GallerySync sync, DeadLetterListener deadLetters) {
        return build(topics, config, TrackConfig.defaults(config.topK()), gallery, clock, cameras, sync,
                deadLetters);
    }

    /** @param tracks how faces are tracked and tracks decided */
    public static Topology build(Topics topics, MatchConfig config, TrackConfig tracks, GalleryView gallery,
            Clock clock, CameraSettings cameras, GallerySync sync) {
        return build(topics, config, tracks, gallery, clock, cameras, sync, DeadLetterListener.NONE);
    }

    /**
     * @param tracks how faces are tracked and tracks decided
     * @param deadLetters told of each record the topology routes to {@code embeddings.dlq}
     */
    public static Topology build(Topics topics, MatchConfig config, TrackConfig tracks, GalleryView gallery,
            Clock clock, CameraSettings cameras, GallerySync sync, DeadLetterListener deadLetters) {
        Topology t = new Topology();
        // Values arrive as bytes so a record that is not Avro reaches the processor and its dead-letter
        // branch, instead of failing the whole task in the deserializer.
        t.addSource(SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), topics.embeddings().name());
        t.addProcessor(MATCHER, () -> new MatchProcessor(topics, config, tracks, gallery, clock, cameras, sync,
                deadLetters), SOURCE);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TRACKS_STORE), Serdes.String(),
                Serdes.ByteArray()), MATCHER);
        t.addSink(MATCHES_SINK, topics.matches().name(), new StringSerializer(), new ByteArraySerializer(), MATCHER);
        t.addSink(SIGHTINGS_SINK, topics.sightings().name(), new StringSerializer(), new ByteArraySerializer(),
                MATCHER);
        t.addSink(DEAD_LETTER_SINK, topics.embeddings().deadLetterTopic(), new StringSerializer(),
                new ByteArraySerializer(), MATCHER);
        return t;
    }
}
