package io.facestream.services.dashboard.cameras;

import io.facestream.pipeline.cameras.CameraChange;
import io.facestream.schema.CameraSetting;
import io.facestream.services.common.security.Roles;
import io.facestream.services.common.validation.InputLimits;
import io.facestream.services.dashboard.stats.PipelineStats;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Cameras: their match threshold and whether they are matched at all, changed at run time. A change is written
 * to the compacted {@code cameras} topic, which every matcher instance follows: it reaches all of them and
 * survives restarts. The rules of a change are {@link CameraChange}'s.
 */
@Controller("/api/v1/cameras")
@Secured({Roles.VIEWER, Roles.OPERATOR})
@ExecuteOn(TaskExecutors.BLOCKING)
public class CamerasController {

    private final CameraSettingsStore settings;
    private final PipelineStats stats;
    private final Clock clock;

    public CamerasController(CameraSettingsStore settings, PipelineStats stats, Clock clock) {
        this.settings = settings;
        this.stats = stats;
        this.clock = clock;
    }

    /** @param threshold the camera's own threshold; null: the matcher's configured one */
    @Serdeable
    public record Camera(String cameraId, @Nullable Double threshold, boolean enabled, long frames, long faces,
            long matches) {
    }

    @Serdeable
    public record CameraUpdate(@Nullable Double threshold, @Nullable Boolean enabled) {
    }

    @Serdeable
    public record Problem(String error) {
    }

    @Get
    public List<Camera> list() {
        TreeSet<String> ids = new TreeSet<>(stats.cameras());
        ids.addAll(settings.all().keySet());
        return ids.stream().map(this::view).sorted(Comparator.comparing(Camera::cameraId)).toList();
    }

    @Put("/{cameraId}")
    @Secured(Roles.OPERATOR)
    public HttpResponse<?> update(@PathVariable String cameraId, @Body @Nullable CameraUpdate body,
            Authentication operator) {
        Optional<String> badCamera = InputLimits.cameraIdProblem(cameraId);
        if (badCamera.isPresent()) {
            return HttpResponse.badRequest(new Problem(badCamera.get()));
        }
        CameraChange change;
        try {
            change = new CameraChange(body == null ? null : body.threshold(), body == null ? null : body.enabled());
        } catch (IllegalArgumentException e) {
            return HttpResponse.badRequest(new Problem(e.getMessage()));
        }
        if (!settings.hasRoomFor(cameraId)) {
            return HttpResponse.badRequest(new Problem("at most " + CameraSettingsStore.MAX_CAMERAS
                    + " cameras have settings of their own"));
        }
        settings.put(change.applyTo(cameraId, settings.get(cameraId), operator.getName(), clock.instant()));
        return HttpResponse.ok(view(cameraId));
    }

    private Camera view(String cameraId) {
        Optional<CameraSetting> s = settings.get(cameraId);
        PipelineStats.Totals t = stats.totals(cameraId);
        return new Camera(cameraId, s.map(CameraSetting::getThreshold).orElse(null),
                s.map(CameraSetting::getEnabled).orElse(true), t.frames(), t.faces(), t.matches());
    }
}
