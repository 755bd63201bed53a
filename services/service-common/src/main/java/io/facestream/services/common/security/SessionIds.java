package io.facestream.services.common.security;

import io.micronaut.security.token.claims.JtiGenerator;
import jakarta.inject.Singleton;
import java.util.UUID;

/** Gives every session token an id ({@code jti}), so that {@link RevokedSessions} can end it on logout. */
@Singleton
public class SessionIds implements JtiGenerator {

    @Override
    public String generateJtiClaim() {
        return UUID.randomUUID().toString();
    }
}
