package io.facestream.services.common.validation;

import io.micronaut.core.annotation.Nullable;
import java.util.Locale;
import java.util.Set;

/** The image bodies the API takes (frames, enrollment photos): JPEG, PNG, or bytes whose type is not declared. */
public final class ImageTypes {

    public static final Set<String> ACCEPTED = Set.of("image/jpeg", "image/png", "application/octet-stream");

    private ImageTypes() {
    }

    /** Whether a Content-Type (parameters such as {@code ; charset} ignored) is one of {@link #ACCEPTED}. */
    public static boolean accepted(@Nullable String contentType) {
        return contentType != null && ACCEPTED.contains(base(contentType));
    }

    /** The 415 reason for a refused Content-Type. */
    public static String refusal(@Nullable String contentType) {
        String shown = contentType == null ? "none" : base(contentType);
        if (shown.length() > 100) {
            shown = shown.substring(0, 100) + "…";
        }
        return "unsupported Content-Type " + shown + "; send image/jpeg, image/png or application/octet-stream";
    }

    private static String base(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }
}
