package io.facestream.services.ingest.http;

import io.facestream.pipeline.topics.FrameLimits;
import io.facestream.schema.Frame;
import io.facestream.services.common.security.Roles;
import io.facestream.services.common.validation.ImageTypes;
import io.facestream.services.common.validation.InputLimits;
import io.facestream.services.ingest.kafka.FramePublisher;
import io.micronaut.security.annotation.Secured;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /api/v1/frames?camera=ID} with a JPEG or PNG body: the frame is published and 202 returns its id.
 * Bodies over {@link FrameLimits#MAX_IMAGE_BYTES} get 413: Micronaut refuses them before reading
 * ({@code micronaut.server.max-request-size}, {@link BodyTooLargeHandler}), and this controller again should
 * that setting ever be raised, so the {@code frames} topic never sees a frame over its limit. Decoding happens in
 * the detector, whose dead-letter topic receives frames that turn out not to be images.
 */
@Controller("/api/v1/frames")
@Secured({Roles.OPERATOR, Roles.CAMERA})
@ExecuteOn(TaskExecutors.BLOCKING)
public class FramesController {

    private final FramePublisher publisher;
    private final Clock clock;
    private final Map<String, AtomicLong> sequences = new ConcurrentHashMap<>();

    public FramesController(FramePublisher publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    @Serdeable
    public record Accepted(String frameId) {
    }

    @Serdeable
    public record Rejected(String error) {
    }

    // Any type is routed here so that an unsupported one gets 415 with the reason: a route that does not match
    // the type falls through to the security rules, which answer 403.
    @Post(consumes = MediaType.ALL)
    public HttpResponse<?> publish(@QueryValue @Nullable String camera, @Body byte[] image,
            @Header("Content-Type") @Nullable String contentType) {
        if (camera == null || camera.isBlank()) {
            return HttpResponse.badRequest(new Rejected("query parameter 'camera' is required"));
        }
        Optional<String> badCamera = InputLimits.cameraIdProblem(camera);
        if (badCamera.isPresent()) {
            return HttpResponse.badRequest(new Rejected(badCamera.get()));
        }
        if (!ImageTypes.accepted(contentType)) {
            return HttpResponse.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE).body(new Rejected(ImageTypes.refusal(contentType)));
        }
        if (image == null || image.length == 0) {
            return HttpResponse.badRequest(new Rejected("the body is empty; send the JPEG or PNG bytes"));
        }
        if (image.length > FrameLimits.MAX_IMAGE_BYTES) {
            return HttpResponse.status(HttpStatus.REQUEST_ENTITY_TOO_LARGE).body(new Rejected(String.format(Locale.ROOT,
                    "frame too large: %d bytes, limit %s", image.length, FrameLimits.describe())));
        }
        String frameId = UUID.randomUUID().toString();
        Frame frame = Frame.newBuilder().setFrameId(frameId).setCameraId(camera).setCapturedAt(clock.instant())
                .setSeq(sequences.computeIfAbsent(camera, c -> new AtomicLong()).incrementAndGet())
                .setImage(ByteBuffer.wrap(image))
                .setContentType(contentType == null ? "application/octet-stream" : contentType).build();
        try {
            publisher.publish(frame);
        } catch (FramePublisher.PublishException e) {
            return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).body(new Rejected(e.getMessage()));
        }
        return HttpResponse.accepted().body(new Accepted(frameId));
    }
}
