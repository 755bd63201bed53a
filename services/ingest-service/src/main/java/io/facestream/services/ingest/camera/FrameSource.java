package io.facestream.services.ingest.camera;

import java.io.IOException;
import java.util.Optional;

/** Where a camera agent gets its frames: encoded images (JPEG or PNG), in order, until exhausted. */
public interface FrameSource extends AutoCloseable {

    /** The next encoded frame, or empty at the end. */
    Optional<EncodedFrame> next() throws IOException;

    @Override
    void close();

    /** One frame as bytes, with its MIME type and where it came from (for logs). */
    record EncodedFrame(byte[] bytes, String contentType, String origin) {
    }
}
