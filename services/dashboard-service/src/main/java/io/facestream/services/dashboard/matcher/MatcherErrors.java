package io.facestream.services.dashboard.matcher;

import io.facestream.services.dashboard.feedback.FeedbackController.Problem;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers a request that failed at the matcher with the status {@link MatcherException} carries and its reason. */
@Controller
@Secured(SecurityRule.IS_AUTHENTICATED)
public class MatcherErrors {

    private static final Logger LOG = LoggerFactory.getLogger(MatcherErrors.class);

    @Error(global = true, exception = MatcherException.class)
    public HttpResponse<Problem> matcherFailed(HttpRequest<?> request, MatcherException e) {
        if (e.status() >= 500) {
            LOG.warn("{} {}: {}", request.getMethod(), request.getPath(), e.getMessage());
        }
        return HttpResponse.<Problem>status(HttpStatus.valueOf(e.status())).body(new Problem(e.getMessage()));
    }
}
