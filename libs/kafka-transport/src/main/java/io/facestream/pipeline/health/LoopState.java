package io.facestream.pipeline.health;

/** Where a long-running loop (a stage, a follower, a Streams client) stands. */
public enum LoopState {
    /** Constructed or started, no iteration finished yet. */
    STARTING,
    /** Iterating normally. */
    RUNNING,
    /** Met an unexpected failure and is backing off before it tries again (a bounded number of times). */
    RETRYING,
    /** Ended without being asked to (an exception it gave up on, fencing): it will do no more work. */
    FAILED,
    /** Closed on purpose. */
    STOPPED
}
