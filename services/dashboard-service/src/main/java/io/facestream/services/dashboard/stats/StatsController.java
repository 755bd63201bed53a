package io.facestream.services.dashboard.stats;

import io.facestream.services.common.security.Roles;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** Frames, faces and matches per camera over time, and the distribution of match scores. */
@Controller("/api/v1/stats")
@Secured({Roles.VIEWER, Roles.OPERATOR})
public class StatsController {

    private final PipelineStats stats;

    public StatsController(PipelineStats stats) {
        this.stats = stats;
    }

    @Serdeable
    public record Minute(String minute, String cameraId, long frames, long faces, long matches) {
    }

    @Serdeable
    public record Scores(double[] edges, long[] known, long[] unknown) {
    }

    @Serdeable
    public record Stats(List<Minute> minutes, Scores scores) {
    }

    @Get
    public Stats stats() {
        List<Minute> minutes = stats.minutes().stream()
                .map(b -> new Minute(b.minute().toString(), b.cameraId(), b.frames(), b.faces(), b.matches())).toList();
        return new Stats(minutes, new Scores(PipelineStats.edges(), stats.scores(true), stats.scores(false)));
    }
}
