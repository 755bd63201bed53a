package io.facestream.services.retrainer.http;

import io.facestream.inference.embedding.MobileFaceNet;
import io.facestream.pipeline.model.ModelCatalog;
import io.facestream.retraining.job.JobStatus;
import io.facestream.retraining.job.RetrainJobs;
import io.facestream.retraining.rollout.ModelRollout;
import io.facestream.retraining.store.ModelStore;
import io.facestream.schema.ModelVersion;
import io.facestream.services.common.security.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Model versions and retraining jobs: the serving version and every candidate with its metrics and report
 * files; an operator starts a retraining (one at a time) and everyone signed in watches its progress.
 */
@Controller("/api/v1/models")
@Secured({Roles.VIEWER, Roles.OPERATOR})
@ExecuteOn(TaskExecutors.BLOCKING)
public class ModelsController {

    private static final Pattern REPORT_FILE = Pattern.compile("[a-z_]+\\.(png|json|md|txt)");

    private final ModelCatalog catalog;
    private final ModelRollout rollout;
    private final RetrainJobs jobs;
    private final ModelStore store;

    public ModelsController(ModelCatalog catalog, ModelRollout rollout, RetrainJobs jobs, ModelStore store) {
        this.catalog = catalog;
        this.rollout = rollout;
        this.jobs = jobs;
        this.store = store;
    }

    @Serdeable
    public record VersionView(String version, String status, String sha256, Instant createdAt,
            Map<String, Double> metrics) {

        static VersionView of(ModelVersion v) {
            return new VersionView(v.getVersion(), v.getStatus().name(), v.getSha256(), v.getCreatedAt(),
                    Map.copyOf(v.getMetrics()));
        }
    }

    @Serdeable
    public record Models(String serving, List<VersionView> versions) {
    }

    @Serdeable
    public record JobView(String id, String trigger, String state, String phase, int step, int steps,
            @Nullable Double loss, Instant createdAt, @Nullable Instant startedAt, @Nullable Instant finishedAt,
            @Nullable String candidateVersion, @Nullable String decision, Map<String, Double> metrics,
            @Nullable String error) {

        static JobView of(JobStatus s) {
            return new JobView(s.id(), s.trigger(), s.state().name(), s.phase(), s.step(), s.steps(),
                    Double.isFinite(s.loss()) ? s.loss() : null, s.createdAt(), s.startedAt(), s.finishedAt(),
                    s.candidateVersion(), s.decision(), s.metrics(), s.error());
        }
    }

    @Serdeable
    public record Problem(String error, @Nullable String runningJob) {
    }

    @Get
    public Models models() {
        return new Models(rollout.servingVersion(), catalog.versions().stream().map(VersionView::of).toList());
    }

    @Post("/retrain")
    @Secured(Roles.OPERATOR)
    public HttpResponse<?> retrain(Authentication operator) {
        return jobs.start("operator:" + operator.getName())
                .<HttpResponse<?>>map(job -> HttpResponse.status(HttpStatus.ACCEPTED).body(JobView.of(job)))
                .orElseGet(() -> HttpResponse.status(HttpStatus.CONFLICT).body(new Problem(
                        "a retraining job is already running", jobs.running().orElse(null))));
    }

    @Get("/jobs")
    public List<JobView> jobs() {
        return jobs.jobs().stream().map(JobView::of).toList();
    }

    @Get("/jobs/{id}")
    public HttpResponse<JobView> job(@PathVariable String id) {
        return jobs.job(id).map(JobView::of).map(HttpResponse::ok).orElseGet(HttpResponse::notFound);
    }

    /** A version's report files: report.json, report.md, confusion.png, roc.png, pr.png, gate.txt. */
    @Get("/versions/{version}/files/{name}")
    public HttpResponse<byte[]> file(@PathVariable String version, @PathVariable String name) throws IOException {
        if (!REPORT_FILE.matcher(name).matches() || catalog.version(version).isEmpty()) {
            return HttpResponse.notFound();
        }
        Path file = store.directory(MobileFaceNet.MODEL_NAME, version).resolve(name);
        if (!Files.isRegularFile(file)) {
            return HttpResponse.notFound();
        }
        String type = name.endsWith(".png") ? MediaType.IMAGE_PNG : name.endsWith(".json")
                ? MediaType.APPLICATION_JSON : MediaType.TEXT_PLAIN;
        return HttpResponse.ok(Files.readAllBytes(file)).contentType(type);
    }
}
