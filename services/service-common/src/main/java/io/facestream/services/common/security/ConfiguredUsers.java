package io.facestream.services.common.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestAuthenticationProvider;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Authenticates the configured accounts (form login and HTTP Basic). A key-derivation hash costs
 * milliseconds, and Basic clients (cameras, scripts) authenticate on every request, so credentials that
 * verified once are remembered by a SHA-256 digest — never in plain text.
 */
@Singleton
public class ConfiguredUsers<B> implements HttpRequestAuthenticationProvider<B> {

    private final Map<String, UserAccount> accounts;
    private final Map<String, Boolean> verified = new ConcurrentHashMap<>();

    public ConfiguredUsers(List<UserAccount> accounts) {
        this.accounts = accounts.stream().collect(Collectors.toMap(UserAccount::name, Function.identity()));
    }

    @Override
    public AuthenticationResponse authenticate(HttpRequest<B> request, AuthenticationRequest<String, String> auth) {
        UserAccount account = accounts.get(auth.getIdentity());
        if (account == null || account.passwordHash() == null) {
            return AuthenticationResponse.failure(AuthenticationFailureReason.USER_NOT_FOUND);
        }
        String digest = digest(account.name() + "\u0000" + auth.getSecret() + "\u0000" + account.passwordHash());
        boolean ok = verified.computeIfAbsent(digest, d -> PasswordHash.matches(account.passwordHash(), auth.getSecret()));
        if (!ok) {
            verified.remove(digest); // remember successes only, so the map cannot be filled by guessing
            return AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
        }
        return AuthenticationResponse.success(account.name(), account.roles());
    }

    private static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
