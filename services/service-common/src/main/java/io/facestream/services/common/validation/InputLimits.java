package io.facestream.services.common.validation;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Limits on the strings users send: they end up in Kafka records, state stores, logs and on operators'
 * screens, so each has a bounded length and a safe alphabet. The checks answer with the limit that was broken,
 * for a 400 body; an empty answer means the value is fine.
 */
public final class InputLimits {

    /** An identity's display name: at most this many characters (code points), after trimming. */
    public static final int MAX_NAME_CHARS = 200;
    /** Camera ids are keys and file-name-like labels: ASCII letters, digits, '.', '_', '-', 1 to 64 of them. */
    public static final Pattern CAMERA_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private InputLimits() {
    }

    /**
     * Problems with a person's name: missing, longer than {@link #MAX_NAME_CHARS}, or containing a control
     * character or a bidirectional override (U+202A–U+202E, U+2066–U+2069), which can make a name display as
     * another.
     */
    public static Optional<String> nameProblem(String field, String name) {
        if (name == null || name.isBlank()) {
            return Optional.of("'" + field + "' is required");
        }
        String s = name.strip();
        int length = s.codePointCount(0, s.length());
        if (length > MAX_NAME_CHARS) {
            return Optional.of(String.format(Locale.ROOT, "'%s' is %d characters long; the limit is %d", field, length,
                    MAX_NAME_CHARS));
        }
        int[] cps = s.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            if (Character.isISOControl(c) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) {
                return Optional.of(String.format(Locale.ROOT, "'%s' contains U+%04X at character %d; control and"
                        + " bidirectional-override characters are not allowed", field, c, i + 1));
            }
        }
        return Optional.empty();
    }

    /** Problems with a camera id: missing or not {@link #CAMERA_ID}. */
    public static Optional<String> cameraIdProblem(String cameraId) {
        if (cameraId == null || cameraId.isEmpty()) {
            return Optional.of("a camera id is required");
        }
        if (!CAMERA_ID.matcher(cameraId).matches()) {
            String shown = cameraId.length() > 80 ? cameraId.substring(0, 80) + "…" : cameraId;
            return Optional.of("camera id '" + printable(shown) + "' (" + cameraId.length() + " characters) is not "
                    + "1 to 64 of A-Z, a-z, 0-9, '.', '_', '-'");
        }
        return Optional.empty();
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c < 0x20 || c > 0x7E) {
                b.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
