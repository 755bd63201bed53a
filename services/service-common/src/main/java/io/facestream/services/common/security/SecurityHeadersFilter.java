package io.facestream.services.common.security;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * Browser protections on every response, page and API alike (errors included — it runs outside the security
 * filter): a Content-Security-Policy that allows only this origin's own scripts and styles (no inline script,
 * so an injected {@code <script>} or {@code onclick} does not run), no framing (clickjacking), no MIME sniffing,
 * no Referer leaving this origin, and HSTS when the request came over HTTPS.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
public class SecurityHeadersFilter implements HttpServerFilter {

    /** The dashboard's policy: its scripts and styles are files (services/dashboard-service/.../public). */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    static final Map<String, String> HEADERS;

    static {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        h.put("X-Frame-Options", "DENY");
        h.put("X-Content-Type-Options", "nosniff");
        // same-origin, not no-referrer: under no-referrer browsers send "Origin: null" with form posts (the login
        // form), which OriginCheckFilter cannot tell from a cross-site one
        h.put("Referrer-Policy", "same-origin");
        h.put("Cross-Origin-Opener-Policy", "same-origin");
        h.put("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        HEADERS = Map.copyOf(h);
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.after();
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        return Publishers.map(chain.proceed(request), response -> {
            HEADERS.forEach((name, value) -> {
                if (!response.getHeaders().contains(name)) {
                    response.header(name, value);
                }
            });
            if (request.isSecure() && !response.getHeaders().contains("Strict-Transport-Security")) {
                response.header("Strict-Transport-Security", "max-age=31536000");
            }
            return response;
        });
    }
}
