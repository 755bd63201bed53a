package io.facestream.services.ingest.camera;

import java.io.IOException;
import java.util.Optional;

/** Where a camera agent gets its frames: encoded images (JPEG or PNG), in order, until exhausted. */
public interface FrameSource extends AutoCloseable {

    /**
     * The next encoded frame, or empty at the end.
     *
     * @throws SkippedFrameException for one frame the source passes over (e.g. a file over the frame limit);
     *                               the source is still good and the next call returns the frame after it
     */
    Optional<EncodedFrame> next() throws IOException;

    @Override
    void close();

    /** One frame as bytes, with its MIME type and where it came from (for logs). */
    record EncodedFrame(byte[] bytes, String contentType, String origin) {
    }

    /** One frame not handed over, with the reason as one line; the agent reports it and carries on. */
    final class SkippedFrameException extends IOException {
        public SkippedFrameException(String reason) {
            super(reason);
        }
    }
}
