package io.facestream.services.dashboard.me;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** Who is logged in, so the page shows only what the role may do. */
@Controller("/api/v1/me")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class MeController {

    @Serdeable
    public record Me(String username, List<String> roles) {
    }

    @Get
    public Me me(Authentication authentication) {
        return new Me(authentication.getName(), List.copyOf(authentication.getRoles()));
    }
}
