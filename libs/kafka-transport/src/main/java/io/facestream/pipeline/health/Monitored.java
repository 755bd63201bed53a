package io.facestream.pipeline.health;

import java.util.List;

/**
 * Something that runs long-lived threads a service depends on (a stage, a follower of a compacted topic, a Kafka
 * Streams client). The services' health indicator finds every bean that implements this and reports DOWN, naming
 * the component, when one of them failed, stopped or stopped iterating. Libraries implement it without knowing
 * about Micronaut.
 */
public interface Monitored {

    /** The current status of each loop this object runs. Cheap and thread-safe: called on every health check. */
    List<LoopStatus> loops();
}
