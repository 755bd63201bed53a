package io.facestream.services.common.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecuredAnnotationRule;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import jakarta.inject.Singleton;
import java.util.Collection;
import org.reactivestreams.Publisher;

/**
 * Reading the API needs {@code viewer} or {@code operator}. Each controller says so in {@code @Secured}; this
 * rule, evaluated before those annotations, holds the same line for any controller that forgets (an account
 * with only {@code camera}, say a stolen camera password, gets 403 on everything under {@code /api/} except
 * publishing frames and {@code /api/v1/me}). It never grants anything: outside that case it abstains.
 */
@Singleton
public class ReaderRoleRule implements SecurityRule<HttpRequest<?>> {

    public static final int ORDER = SecuredAnnotationRule.ORDER - 100;

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Publisher<SecurityRuleResult> check(@Nullable HttpRequest<?> request, @Nullable Authentication authentication) {
        if (request == null || authentication == null || !request.getPath().startsWith("/api/")) {
            return Publishers.just(SecurityRuleResult.UNKNOWN);
        }
        Collection<String> roles = authentication.getRoles();
        if (roles.contains(Roles.VIEWER) || roles.contains(Roles.OPERATOR)) {
            return Publishers.just(SecurityRuleResult.UNKNOWN);
        }
        String path = request.getPath();
        boolean allowed = (request.getMethod() == HttpMethod.POST && path.equals("/api/v1/frames"))
                || path.equals("/api/v1/me");
        return Publishers.just(allowed ? SecurityRuleResult.UNKNOWN : SecurityRuleResult.REJECTED);
    }
}
