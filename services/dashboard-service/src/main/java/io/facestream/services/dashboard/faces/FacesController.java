package io.facestream.services.dashboard.faces;

import io.facestream.schema.FaceEmbedding;
import io.facestream.services.common.security.Roles;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.security.annotation.Secured;
import java.nio.ByteBuffer;

/** Thumbnails: the aligned face crop of a recent face. */
@Controller("/api/v1/faces")
@Secured({Roles.VIEWER, Roles.OPERATOR})
public class FacesController {

    private final RecentFaces faces;

    public FacesController(RecentFaces faces) {
        this.faces = faces;
    }

    @Get(value = "/{faceId}/crop.png", produces = MediaType.IMAGE_PNG)
    public HttpResponse<byte[]> crop(@PathVariable String faceId) {
        return faces.get(faceId).map(FaceEmbedding::getAlignedCrop).map(FacesController::bytes)
                .map(b -> HttpResponse.ok(b).header("Cache-Control", "private, max-age=3600"))
                .orElseGet(HttpResponse::notFound);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
