package io.facestream.retraining.job;

/** Where a retraining job is. The last three are final. */
public enum JobState {
    QUEUED, RUNNING, ACTIVATED, REJECTED, FAILED;

    public boolean finished() {
        return this == ACTIVATED || this == REJECTED || this == FAILED;
    }
}
