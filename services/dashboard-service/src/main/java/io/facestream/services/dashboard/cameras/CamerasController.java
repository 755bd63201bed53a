package io.facestream.services.dashboard.cameras;

import io.facestream.matching.topology.CameraSettings;
import io.facestream.services.common.security.Roles;
import io.facestream.services.common.validation.InputLimits;
import io.facestream.services.dashboard.stats.PipelineStats;
import io.facestream.services.matcher.config.MatcherConfig;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Cameras: their match threshold and whether they are matched at all, changed at run time. */
@Controller("/api/v1/cameras")
@Secured({Roles.VIEWER, Roles.OPERATOR})
public class CamerasController {

    private final CameraSettings settings;
    private final MatcherConfig config;
    private final PipelineStats stats;

    public CamerasController(CameraSettings settings, MatcherConfig config, PipelineStats stats) {
        this.settings = settings;
        this.config = config;
        this.stats = stats;
    }

    @Serdeable
    public record Camera(String cameraId, double threshold, boolean enabled, long frames, long faces, long matches) {
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
    public HttpResponse<?> update(@PathVariable String cameraId, @Body CameraUpdate body) {
        Optional<String> badCamera = InputLimits.cameraIdProblem(cameraId);
        if (badCamera.isPresent()) {
            return HttpResponse.badRequest(new Problem(badCamera.get()));
        }
        if (body == null || (body.threshold() == null && body.enabled() == null)) {
            return HttpResponse.badRequest(new Problem("send 'threshold' (a cosine) and/or 'enabled'"));
        }
        Optional<CameraSettings.Setting> current = settings.get(cameraId);
        Optional<Double> threshold = body.threshold() != null ? Optional.of(body.threshold())
                : current.flatMap(CameraSettings.Setting::threshold);
        boolean enabled = body.enabled() != null ? body.enabled() : current.map(CameraSettings.Setting::enabled).orElse(true);
        try {
            settings.put(cameraId, new CameraSettings.Setting(threshold, enabled));
        } catch (IllegalArgumentException e) {
            return HttpResponse.badRequest(new Problem(e.getMessage()));
        }
        return HttpResponse.ok(view(cameraId));
    }

    private Camera view(String cameraId) {
        double configured = config.cameraThresholds().getOrDefault(cameraId, config.threshold());
        Optional<CameraSettings.Setting> s = settings.get(cameraId);
        PipelineStats.Totals t = stats.totals(cameraId);
        return new Camera(cameraId, s.flatMap(CameraSettings.Setting::threshold).orElse(configured),
                s.map(CameraSettings.Setting::enabled).orElse(true), t.frames(), t.faces(), t.matches());
    }
}
