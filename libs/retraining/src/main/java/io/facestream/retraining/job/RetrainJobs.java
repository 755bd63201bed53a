package io.facestream.retraining.job;

import ai.djl.Device;
import io.facestream.retraining.dataset.FeedbackDataset;
import io.facestream.retraining.rollout.ModelRollout;
import io.facestream.training.dataset.LabelledFaces;
import io.facestream.training.job.TrainingConfig;
import io.facestream.training.job.TrainingJob;
import io.facestream.training.job.TrainingOutcome;
import io.facestream.training.job.TrainingProgress;
import io.facestream.training.reference.ReferencePairs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs retraining jobs one at a time on their own thread: snapshot the labelled faces, fine-tune from the
 * serving model, evaluate, and hand the candidate to the {@link ModelRollout}. A job that fails at any point
 * is recorded as FAILED and changes nothing: no version is announced ACTIVE unless the whole rollout
 * reached that step, so the serving model keeps serving.
 */
public final class RetrainJobs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetrainJobs.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    /** Where the serving model's artifact is (the active version's file, or the pre-trained one). */
    @FunctionalInterface
    public interface BaseModel {
        Path artifact();
    }

    private final FeedbackDataset dataset;
    private final Path workDir;
    private final TrainingConfig config;
    private final Device device;
    private final BaseModel base;
    private final Supplier<ReferencePairs> reference;
    private final ModelRollout rollout;
    private final String modelName;
    private final Clock clock;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "retrain-job");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, JobStatus> jobs = new ConcurrentHashMap<>();
    private volatile String running;
    private volatile boolean closing;

    /**
     * @param reference the fixed reference pair set, or a supplier of null when there is none; called on the
     *     job thread (loading it detects faces once)
     */
    public RetrainJobs(FeedbackDataset dataset, Path workDir, TrainingConfig config, Device device, BaseModel base,
            Supplier<ReferencePairs> reference, ModelRollout rollout, String modelName, Clock clock) {
        this.dataset = dataset;
        this.workDir = workDir;
        this.config = config;
        this.device = device;
        this.base = base;
        this.reference = reference;
        this.rollout = rollout;
        this.modelName = modelName;
        this.clock = clock;
    }

    /** Starts a job unless one is queued or running; empty then. */
    public synchronized Optional<JobStatus> start(String trigger) {
        if (running != null) {
            return Optional.empty();
        }
        String id = UUID.randomUUID().toString();
        JobStatus queued = JobStatus.queued(id, trigger, config.steps(), clock.instant());
        jobs.put(id, queued);
        running = id;
        dataset.trainingStarted();
        runner.execute(() -> run(id));
        return Optional.of(queued);
    }

    public Optional<JobStatus> job(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** Every job, newest first. */
    public List<JobStatus> jobs() {
        List<JobStatus> all = new ArrayList<>(jobs.values());
        all.sort(Comparator.comparing(JobStatus::createdAt).reversed());
        return all;
    }

    /** The id of the job queued or running, if any. */
    public Optional<String> running() {
        return Optional.ofNullable(running);
    }

    private void run(String id) {
        update(id, s -> s.started(clock.instant()));
        try {
            Path dir = Files.createDirectories(workDir.resolve("jobs").resolve(id));
            LabelledFaces snapshot = dataset.faces().copyTo(dir.resolve("data"));
            String version = modelName + "-ft-" + STAMP.format(clock.instant()) + "-" + id.substring(0, 4);
            Path out = Files.createDirectories(dir.resolve("out"));
            TrainingOutcome outcome = new TrainingJob(config, device).run(snapshot, base.artifact(), reference.get(),
                    out, new TrainingProgress() {
                        @Override
                        public void phase(String name) {
                            update(id, s -> s.inPhase(name));
                        }

                        @Override
                        public void step(int step, int steps, double loss) {
                            if (closing) {
                                throw new CancellationException("the retrainer is stopping");
                            }
                            update(id, s -> s.atStep(step, steps, loss));
                        }
                    });
            ModelRollout.Result result = rollout.roll(version, outcome, out,
                    phase -> update(id, s -> s.withCandidate(version).inPhase(phase)));
            JobState end = result.activated() ? JobState.ACTIVATED : JobState.REJECTED;
            update(id, s -> s.finished(end, clock.instant(), result.decision().reason(), result.metrics(), null));
            LOG.info("retrain job {} finished: {} {} ({})", id, version, end, result.decision().reason());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(id, "interrupted");
        } catch (IOException | RuntimeException | Error e) {
            LOG.error("retrain job {} failed; the serving model is unchanged", id, e);
            fail(id, e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            synchronized (this) {
                running = null;
            }
        }
    }

    private void fail(String id, String error) {
        update(id, s -> s.finished(JobState.FAILED, clock.instant(), s.decision(), null, error));
    }

    private void update(String id, UnaryOperator<JobStatus> change) {
        jobs.computeIfPresent(id, (k, s) -> change.apply(s));
    }

    @Override
    public void close() {
        closing = true; // the training loop stops at its next step
        runner.shutdownNow();
        try {
            runner.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
