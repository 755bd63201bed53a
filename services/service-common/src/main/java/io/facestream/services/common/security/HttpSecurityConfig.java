package io.facestream.services.common.security;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.util.List;

/**
 * Browser-facing protections of the HTTP API ({@code facestream.security.*}).
 *
 * @param publicOrigins the origins ({@code scheme://host[:port]}) the dashboard is served from; a state-changing
 *     request that carries the session cookie must come from one of them ({@link OriginCheckFilter}). Empty: this
 *     server's own URL under {@code localhost}, {@code 127.0.0.1} and {@code [::1]} — right for the embedded
 *     modes; a deployment behind a real host name must list its name here
 * @param maxRevokedSessions logged-out sessions remembered until their cookies expire ({@link RevokedSessions});
 *     beyond that every session issued so far is ended, so memory stays bounded
 */
@ConfigurationProperties(HttpSecurityConfig.PREFIX)
public record HttpSecurityConfig(
        @Nullable List<String> publicOrigins,
        @Bindable(defaultValue = "10000") @Min(1) int maxRevokedSessions) {

    public static final String PREFIX = "facestream.security";

    public HttpSecurityConfig {
        publicOrigins = publicOrigins == null ? List.of() : publicOrigins.stream()
                .filter(o -> o != null && !o.isBlank()) // an empty FACESTREAM_SECURITY_PUBLIC_ORIGINS
                .map(HttpSecurityConfig::origin).toList();
    }

    /**
     * The origin of a URL as browsers send it in {@code Origin}: lower-case scheme and host, the port only when
     * it is not the scheme's default.
     *
     * @throws IllegalArgumentException for a value that is not an http(s) URL with a host
     */
    public static String origin(String url) {
        URI uri = URI.create(url.trim());
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) origin: " + url);
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(java.util.Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
}
