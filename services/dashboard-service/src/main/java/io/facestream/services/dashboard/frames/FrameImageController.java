package io.facestream.services.dashboard.frames;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.facestream.services.common.security.Roles;

/** Snapshots: a recent frame as the camera sent it (the page draws the sighting's box over it). */
@Controller("/api/v1/frames")
@Secured({Roles.VIEWER, Roles.OPERATOR})
@ExecuteOn(TaskExecutors.BLOCKING)
public class FrameImageController {

    private final FrameIndex frames;

    public FrameImageController(FrameIndex frames) {
        this.frames = frames;
    }

    @Get(value = "/{frameId}/image", produces = {MediaType.IMAGE_JPEG, MediaType.IMAGE_PNG,
            MediaType.APPLICATION_OCTET_STREAM})
    public HttpResponse<byte[]> image(@PathVariable String frameId) {
        return frames.image(frameId)
                .map(i -> HttpResponse.ok(i.bytes()).contentType(MediaType.of(i.contentType()))
                        .header("Cache-Control", "private, max-age=3600"))
                .orElseGet(HttpResponse::notFound);
    }
}
