package io.facestream.vision.decode;

import java.util.Objects;

/**
 * Why an image was refused. The message is one line meant for a person (an upload form, a DLQ header); the
 * {@link Reason} is meant for code, e.g. to tell "client sent garbage" from "client sent too much".
 */
public final class ImageDecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** Zero bytes. */
        EMPTY,
        /** The leading bytes match no supported format (this includes recognised but unsupported ones, e.g. GIF). */
        NOT_AN_IMAGE,
        /** The header or the data ends early: an interrupted upload or a cut-off file. */
        TRUNCATED,
        /** The header declares more pixels than {@link DecodeLimits#maxPixels()}. */
        TOO_MANY_PIXELS,
        /** The encoded data is larger than {@link DecodeLimits#maxBytes()}. */
        TOO_MANY_BYTES,
        /** Complete and recognised, but the header is inconsistent or OpenCV cannot decode the pixels. */
        CORRUPT,
        /** The file is missing, not a regular file, or cannot be read. */
        UNREADABLE
    }

    private final Reason reason;

    public ImageDecodeException(Reason reason, String message) {
        this(reason, message, null);
    }

    public ImageDecodeException(Reason reason, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
