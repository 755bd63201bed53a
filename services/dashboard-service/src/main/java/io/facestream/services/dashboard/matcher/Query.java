package io.facestream.services.dashboard.matcher;

import io.micronaut.core.annotation.Nullable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A query string passed on to an upstream: only the parameters a route names, each value percent-encoded, and
 * those absent from the request left out (so the upstream applies its own defaults).
 */
public final class Query {

    private final StringBuilder text = new StringBuilder();

    private Query() {
    }

    public static Query of(String name, @Nullable String value) {
        return new Query().and(name, value);
    }

    public Query and(String name, @Nullable String value) {
        if (value != null) {
            text.append(text.length() == 0 ? '?' : '&').append(name).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        return this;
    }

    /** {@code ?a=1&b=2}, or empty. */
    @Override
    public String toString() {
        return text.toString();
    }
}
