package io.facestream.services.dashboard.matcher;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;

/**
 * How the dashboard reaches the matcher's HTTP API ({@link MatcherClient}). It logs in as a service account of
 * its own (an {@code operator} account in the matcher's users) and names the operator it acts for in a header.
 * No defaults for the account: a dashboard without one refuses to start.
 *
 * @param baseUrl the matcher, e.g. {@code http://matcher-service:8080} (http or https, no path, query or user
 *     info); absent only with {@code loopback}
 * @param loopback the matcher runs in this JVM (the all-in-one): call this server's own port on 127.0.0.1, so
 *     the all-in-one takes the same HTTP path as a deployment
 * @param username the service account's name on the matcher
 * @param password its password (from the environment or a secret; never logged)
 * @param connectTimeout how long a TCP connection to the matcher may take
 * @param requestTimeout how long one call may take in all, body included; longer than the matcher's own wait for
 *     a gallery write to become visible (10 s)
 * @param maxResponseBytes the largest answer read from the matcher; a larger one is a 502. 1 MiB: the answers
 *     the dashboard passes on when it runs alone are the largest (a search page of 500 hits is about 200 KB, the
 *     clusters list at most about 300 KB with the matcher's default of 3000 faces held, the identities list
 *     about 100 bytes a person)
 */
@ConfigurationProperties(MatcherClientConfig.PREFIX)
public record MatcherClientConfig(
        @Nullable URI baseUrl,
        @Bindable(defaultValue = "false") boolean loopback,
        @NotBlank String username,
        @NotBlank String password,
        @Bindable(defaultValue = "2s") @NotNull Duration connectTimeout,
        @Bindable(defaultValue = "20s") @NotNull Duration requestTimeout,
        @Bindable(defaultValue = "1048576") @Min(1024) @Max(16 * 1024 * 1024) int maxResponseBytes) {

    public static final String PREFIX = "facestream.dashboard.matcher";

    public MatcherClientConfig {
        if (loopback == (baseUrl != null)) {
            throw new IllegalArgumentException("set exactly one of " + PREFIX + ".base-url (the matcher's URL) and "
                    + PREFIX + ".loopback (the matcher runs in this JVM)");
        }
        if (baseUrl != null) {
            checkBaseUrl(PREFIX + ".base-url", baseUrl);
        }
        if (connectTimeout != null && (connectTimeout.isNegative() || connectTimeout.isZero())
                || requestTimeout != null && (requestTimeout.isNegative() || requestTimeout.isZero())) {
            throw new IllegalArgumentException(PREFIX + " timeouts must be positive");
        }
    }

    /** @throws IllegalArgumentException unless {@code url} is {@code http(s)://host[:port]} without more */
    public static void checkBaseUrl(String key, URI url) {
        String scheme = url.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || url.getHost() == null
                || url.getRawUserInfo() != null || url.getRawQuery() != null
                || url.getRawFragment() != null || !(url.getRawPath() == null
                || url.getRawPath().isEmpty() || url.getRawPath().equals("/"))) {
            throw new IllegalArgumentException(key + " must be http(s)://host[:port] without path, "
                    + "user info or query, was " + url);
        }
    }

    /** Without the password. */
    @Override
    public String toString() {
        return "MatcherClientConfig[baseUrl=" + baseUrl + ", loopback=" + loopback + ", username=" + username
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", maxResponseBytes="
                + maxResponseBytes + "]";
    }
}
