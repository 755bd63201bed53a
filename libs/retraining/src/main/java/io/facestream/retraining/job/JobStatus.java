package io.facestream.retraining.job;

import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of one retraining job, for the API and the dashboard.
 *
 * @param trigger why it runs: "operator:<name>" or "feedback:<count>"
 * @param phase the current step: snapshot, split, evaluate-before, train, evaluate-after, report, store, gate,
 *     gallery, activate, done
 * @param candidateVersion the version trained, once it is stored
 * @param decision the gate's reason, once it decided
 * @param metrics before/after metrics of the candidate, once evaluated
 */
public record JobStatus(String id, String trigger, JobState state, String phase, int step, int steps, double loss,
        Instant createdAt, Instant startedAt, Instant finishedAt, String candidateVersion, String decision,
        Map<String, Double> metrics, String error) {

    static JobStatus queued(String id, String trigger, int steps, Instant at) {
        return new JobStatus(id, trigger, JobState.QUEUED, "queued", 0, steps, Double.NaN, at, null, null, null, null,
                Map.of(), null);
    }

    JobStatus started(Instant at) {
        return new JobStatus(id, trigger, JobState.RUNNING, "snapshot", step, steps, loss, createdAt, at, null,
                candidateVersion, decision, metrics, error);
    }

    JobStatus inPhase(String name) {
        return new JobStatus(id, trigger, state, name, step, steps, loss, createdAt, startedAt, finishedAt,
                candidateVersion, decision, metrics, error);
    }

    JobStatus atStep(int step, int steps, double loss) {
        return new JobStatus(id, trigger, state, phase, step, steps, loss, createdAt, startedAt, finishedAt,
                candidateVersion, decision, metrics, error);
    }

    JobStatus withCandidate(String version) {
        return new JobStatus(id, trigger, state, phase, step, steps, loss, createdAt, startedAt, finishedAt, version,
                decision, metrics, error);
    }

    JobStatus finished(JobState end, Instant at, String decision, Map<String, Double> metrics, String error) {
        return new JobStatus(id, trigger, end, end == JobState.FAILED ? phase : "done", step, steps, loss, createdAt,
                startedAt, at, candidateVersion, decision, metrics == null ? this.metrics : Map.copyOf(metrics),
                error);
    }
}
