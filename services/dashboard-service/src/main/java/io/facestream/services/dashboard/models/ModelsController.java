package io.facestream.services.dashboard.models;

import io.facestream.services.common.security.Roles;
import io.facestream.services.dashboard.Application;
import io.facestream.services.dashboard.matcher.MatcherClient;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The page's Models tab when the dashboard runs alone: model versions, retraining jobs and a candidate's report
 * files, passed to the retrainer ({@link RetrainerApi}) and handed back as it answered them, with its roles
 * (viewers read, operators start a retraining). Not the {@code models} topic: the jobs, their progress and the
 * report files exist only in the retrainer, so the tab needs it anyway, and one upstream for the whole tab
 * needs no follower, no ACL and no second notion of the serving version.
 */
// The retrainer's own ModelsController serves these paths in the all-in-one.
@Requires(missingClasses = Application.RETRAINER_APPLICATION)
@Controller("/api/v1/models")
@Secured({Roles.VIEWER, Roles.OPERATOR})
@ExecuteOn(TaskExecutors.BLOCKING)
public class ModelsController {

    /** As the retrainer's: report.json, report.md, confusion.png, roc.png, pr.png, gate.txt. */
    private static final Pattern REPORT_FILE = Pattern.compile("[a-z_]+\\.(png|json|md|txt)");
    private static final Set<String> REPORT_TYPES = Set.of(MediaType.IMAGE_PNG, MediaType.APPLICATION_JSON,
            MediaType.TEXT_PLAIN);

    private final RetrainerApi retrainer;

    public ModelsController(RetrainerApi retrainer) {
        this.retrainer = retrainer;
    }

    @Get
    public HttpResponse<?> models() {
        return retrainer.pass("GET", "/api/v1/models", null, MatcherClient.JSON).response();
    }

    @Post("/retrain")
    @Secured(Roles.OPERATOR)
    public HttpResponse<?> retrain(Authentication operator) {
        return retrainer.pass("POST", "/api/v1/models/retrain", operator.getName(), MatcherClient.JSON).response();
    }

    @Get("/jobs")
    public HttpResponse<?> jobs() {
        return retrainer.pass("GET", "/api/v1/models/jobs", null, MatcherClient.JSON).response();
    }

    @Get("/jobs/{id}")
    public HttpResponse<?> job(@PathVariable String id) {
        if (!MatcherClient.safeSegment(id)) {
            return HttpResponse.notFound();
        }
        return retrainer.pass("GET", "/api/v1/models/jobs/" + id, null, MatcherClient.JSON).response();
    }

    @Get(value = "/versions/{version}/files/{name}", produces = {MediaType.IMAGE_PNG, MediaType.APPLICATION_JSON,
            MediaType.TEXT_PLAIN})
    public HttpResponse<?> file(@PathVariable String version, @PathVariable String name) {
        if (!MatcherClient.safeSegment(version) || !REPORT_FILE.matcher(name).matches()) {
            return HttpResponse.notFound();
        }
        return retrainer.pass("GET", "/api/v1/models/versions/" + version + "/files/" + name, null, REPORT_TYPES)
                .response();
    }
}
