package io.facestream.services.common.security;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import java.time.Duration;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * Answers a throttled login ({@link ConfiguredUsers#THROTTLED}, form or HTTP Basic) with 429 and
 * {@code Retry-After} in seconds, instead of the usual 401 or redirect to the login page, so the client knows
 * that waiting — not another password — is what helps.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
public class LoginThrottleFilter implements HttpServerFilter {

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before(); // around the security filter, so it sees its answer
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        return Publishers.map(chain.proceed(request), response -> {
            Duration wait = request.getAttribute(ConfiguredUsers.THROTTLED, Duration.class).orElse(null);
            if (wait == null || response.getStatus().getCode() < 300) {
                return response;
            }
            long seconds = ConfiguredUsers.seconds(wait);
            return HttpResponse.status(HttpStatus.TOO_MANY_REQUESTS)
                    .header("Retry-After", String.valueOf(seconds))
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .body(Map.of("error", "too many failed logins from this address or for this user name; retry in "
                            + seconds + " s"));
        });
    }
}
