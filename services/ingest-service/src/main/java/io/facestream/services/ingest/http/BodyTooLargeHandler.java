package io.facestream.services.ingest.http;

import io.facestream.pipeline.topics.FrameLimits;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.HttpServerConfiguration;
import io.micronaut.http.server.exceptions.ContentLengthExceededHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.Locale;

/**
 * 413 for a body over {@code micronaut.server.max-request-size}, with a JSON reason that names the limit, in
 * place of Micronaut's generic error body: a camera or script that sends a too-large frame is told by how much.
 * Micronaut raises the exception before the body is buffered — at once when the Content-Length is over the
 * limit, and as soon as a chunked body passes it — so a refused body never sits in memory.
 */
@Produces
@Singleton
@Replaces(ContentLengthExceededHandler.class)
public class BodyTooLargeHandler implements ExceptionHandler<ContentLengthExceededException, HttpResponse<?>> {

    private final long limit;

    public BodyTooLargeHandler(HttpServerConfiguration server) {
        this.limit = server.getMaxRequestSize();
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, ContentLengthExceededException exception) {
        String what = request.getPath().startsWith("/api/v1/frames") ? "frame" : "request body";
        long sent = request.getContentLength();
        String size = sent > 0 ? sent + " bytes" : "more than " + limit + " bytes";
        return HttpResponse.status(HttpStatus.REQUEST_ENTITY_TOO_LARGE)
                .body(new FramesController.Rejected(String.format(Locale.ROOT, "%s too large: %s, limit %s", what,
                        size, describe(limit))));
    }

    /** "16 MiB (16777216 bytes)" for the configured frame limit, the plain byte count for any other. */
    static String describe(long bytes) {
        if (bytes == FrameLimits.MAX_IMAGE_BYTES) {
            return FrameLimits.describe();
        }
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB (" + bytes + " bytes)" : bytes + " bytes";
    }
}
