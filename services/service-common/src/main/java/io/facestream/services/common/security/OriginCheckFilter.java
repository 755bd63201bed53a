package io.facestream.services.common.security;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CSRF defence that does not depend on the host name the server is reached by: a state-changing request
 * (POST, PUT, PATCH, DELETE) that carries the session cookie must say where it comes from — {@code Origin}, or
 * {@code Referer} when a browser sends no Origin — and that must be one of the public origins
 * ({@link HttpSecurityConfig#publicOrigins()}); otherwise 403 with the reason, before any authentication. A
 * foreign page can make the browser send our cookie (no Content-Type, a "simple" request) but cannot forge
 * these headers. Requests without the cookie (HTTP Basic: scripts, cameras) are not cookie-borne and pass. A
 * login form posted from a foreign origin is refused too (login CSRF: signing the victim in as the attacker).
 * {@code SameSite=Strict} on the cookie is the second line of the same defence.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
public class OriginCheckFilter implements HttpServerFilter {

    private static final Logger LOG = LoggerFactory.getLogger(OriginCheckFilter.class);
    private static final Set<HttpMethod> STATE_CHANGING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);

    private final List<String> configured;
    private final BeanProvider<EmbeddedServer> server;
    private final String cookieName;
    private final String loginPath;
    private volatile Set<String> derived;

    public OriginCheckFilter(HttpSecurityConfig config, BeanProvider<EmbeddedServer> server,
            @Value("${micronaut.security.token.cookie.cookie-name:JWT}") String cookieName,
            @Value("${micronaut.security.endpoints.login.path:/login}") String loginPath) {
        this.configured = config.publicOrigins();
        this.server = server;
        this.cookieName = cookieName;
        this.loginPath = loginPath;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before() - 1; // before the throttle and the security filter
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        if (!STATE_CHANGING.contains(request.getMethod())) {
            return chain.proceed(request);
        }
        boolean cookieBorne = request.getCookies().contains(cookieName);
        String origin = request.getHeaders().get("Origin");
        boolean login = request.getPath().equals(loginPath);
        if (!cookieBorne && !(login && origin != null)) {
            return chain.proceed(request);
        }
        String claimed = origin != null ? origin : refererOrigin(request.getHeaders().get("Referer"));
        if (claimed != null && allowed().contains(claimed)) {
            return chain.proceed(request);
        }
        String reason = claimed == null
                ? "cross-site request refused: a " + request.getMethod() + " with the session cookie must send Origin"
                        + " or Referer"
                : "cross-site request refused: origin " + ConfiguredUsers.printable(claimed) + " is not one of this"
                        + " server's public origins (facestream.security.public-origins)";
        LOG.warn("{} {} from {}: {}", request.getMethod(), request.getPath(), ConfiguredUsers.address(request), reason);
        return Publishers.just(HttpResponse.status(HttpStatus.FORBIDDEN).contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(Map.of("error", reason)));
    }

    /** The configured origins, or this server's own under the loopback names when none are configured. */
    Set<String> allowed() {
        if (!configured.isEmpty()) {
            return Set.copyOf(configured);
        }
        Set<String> d = derived;
        if (d == null) {
            EmbeddedServer s = server.get();
            Set<String> origins = new LinkedHashSet<>();
            for (String host : List.of("localhost", "127.0.0.1", "[::1]", s.getHost())) {
                origins.add(HttpSecurityConfig.origin(s.getScheme() + "://" + host + ":" + s.getPort()));
            }
            derived = d = Set.copyOf(origins);
        }
        return d;
    }

    private static String refererOrigin(String referer) {
        if (referer == null) {
            return null;
        }
        try {
            return HttpSecurityConfig.origin(referer);
        } catch (IllegalArgumentException e) {
            return "invalid Referer";
        }
    }
}
